package dev.longshore.local.autoscale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LoadShapeTest {
    private static double[] times(String spec) {
        return LoadShape.parse(spec).arrivals(false, new SplittableRandom(1));
    }

    @Test
    void burstPutsEveryJobAtOneTime() {
        assertArrayEquals(new double[] {30, 30, 30}, times("3@30s"));
    }

    @Test
    void spreadIsEvenlySpacedOverItsInterval() {
        assertArrayEquals(new double[] {0, 15, 30, 45}, times("4@0-1m"));
    }

    @Test
    void rateGivesRateTimesDurationJobs() {
        double[] t = times("2/s@10s-15s");
        assertEquals(10, t.length);
        assertEquals(10.0, t[0]);
        assertEquals(14.5, t[9], 1e-9);
        assertEquals(120, times("30/m@0-4m").length);
        assertEquals(12_000, times("500/h@0-24h").length);
    }

    @Test
    void segmentsAreMergedInTimeOrder() {
        double[] t = times("2@1m, 1@0, 2/s@0-1s");
        assertArrayEquals(new double[] {0, 0, 0.5, 60, 60}, t);
    }

    @Test
    void poissonArrivalsAreSeededAndNearTheRate() {
        LoadShape day = LoadShape.parse("2/s@0-24h");
        double[] a = day.arrivals(true, new SplittableRandom(7));
        double[] b = day.arrivals(true, new SplittableRandom(7));
        assertArrayEquals(a, b);
        assertEquals(172_800, a.length, 172_800 * 0.01);
        assertTrue(a[a.length - 1] < 86_400);
    }

    @Test
    void badSegmentNamesTheSegmentAndTheSyntax() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoadShape.parse("120@0, lots@now"));
        assertTrue(e.getMessage().contains("\"lots@now\""), e.getMessage());
        assertTrue(e.getMessage().contains("N@T"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LoadShape.parse("5@10s-5s"));
        assertThrows(IllegalArgumentException.class, () -> LoadShape.parse(" , "));
    }
}
