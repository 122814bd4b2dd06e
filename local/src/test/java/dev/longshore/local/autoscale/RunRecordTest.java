package dev.longshore.local.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunRecordTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReadsBackWhatThePlannerNeeds() throws Exception {
        ScalingPolicy policy = new ScalingPolicy(0, 5, 10, Duration.ofSeconds(1), 3, 15, 0.9, Duration.ofSeconds(5));
        RunRecord run = new RunRecord("120@0", "uniform:2s-4s", 1, 4, 3, RunRecord.Policy.of(policy), 0.3, 5.7, List.of(4.1, 6.2), Double.NaN,
                new RunRecord.Measured(2, 2, 0, 0, true, 31.2, 5, 5, 20, 28, 30, 31, 4.5, 157, 38),
                List.of(new RunRecord.Job("job-1", 0.02, 2.5), new RunRecord.Job("job-2", 0.02, 3.5)),
                List.of(new Timeline.Point(0, 120, 0, 1, 0, 0)), List.of(new Activity(0.4, 0, 1, "zero to one")));
        Path file = dir.resolve("run.json");
        run.write(file);
        RunRecord back = RunRecord.read(file);
        assertEquals(policy, back.policy().toPolicy());
        assertEquals(2, back.workload().size());
        assertEquals(3.5, back.workload().jobs().get(1).processing());
        assertEquals(31.2, back.measured().timeToDrain());
        assertEquals(List.of(4.1, 6.2), back.measuredBoots());
        assertTrue(Double.isNaN(back.measuredNoticeSeconds()));
        assertEquals("zero to one", back.activities().get(0).reason());
    }
}
