package dev.longshore.local.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineTest {
    @Test
    void aBucketKeepsTheQueuePeakAndTheInstancesAtItsEnd() {
        Timeline t = new Timeline(1);
        t.record(0.1, 100, 0, 1, 0, 0);
        t.record(0.5, 300, 2, 0, 1, 0);
        t.record(0.9, 50, 4, 0, 1, 0);
        t.record(2.2, 10, 4, 0, 2, 0);
        List<Timeline.Point> p = t.points();
        assertEquals(3, p.size());
        assertEquals(300, p.get(0).visible());
        assertEquals(1, p.get(0).inService());
        assertEquals(0, p.get(0).booting());
        assertEquals(50, p.get(1).visible(), "an untouched bucket holds the last state");
        assertEquals(2, p.get(2).inService());
    }

    @Test
    void widthDoublesInsteadOfGrowingPastTheLimit() {
        Timeline t = new Timeline(1);
        for (int s = 0; s < 86_400; s++) {
            t.record(s, s == 50_000 ? 999 : 1, 0, 0, 1, 0);
        }
        assertTrue(t.points().size() <= Timeline.MAX_BUCKETS);
        assertEquals(32, t.bucketSeconds());
        assertEquals(999, t.points().stream().mapToInt(Timeline.Point::visible).max().orElseThrow(), "the peak survives");
    }
}
