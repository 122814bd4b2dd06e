package dev.longshore.local.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.local.autoscale.RunRecord;
import dev.longshore.local.autoscale.ScalingPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetComparisonTest {
    /** A run of 10 jobs of 10 s on one warm instance: the planner predicts a 100 s drain (see SimulationTest). */
    private static RunRecord run(double measuredDrain, int measuredPeak) {
        List<RunRecord.Job> jobs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            jobs.add(new RunRecord.Job("job-" + i, 0, 10));
        }
        ScalingPolicy p = new ScalingPolicy(1, 1, 20, Duration.ofSeconds(1), 3, 15, 0.9, Duration.ofSeconds(5));
        return new RunRecord("10@0", "const:10s", 1, 1, 0, RunRecord.Policy.of(p), 0, 4, List.of(), 0.5,
                new RunRecord.Measured(10, 10, 0, 0, true, measuredDrain, measuredPeak, measuredPeak, 50, 90, 100, 100,
                        0, 100, 100), jobs, List.of(), List.of());
    }

    @Test
    void aDrainWithinFifteenPercentAndThePeakWithinOneMatch() {
        FleetComparison c = new FleetComparison(run(110, 2), FleetComparison.simulate(run(110, 2)));
        assertEquals(100 / 110.0 - 1, c.drainDifference(), 1e-9);
        assertEquals(-1, c.peakDifference());
        assertTrue(c.withinTolerance());
    }

    @Test
    void aDrainTwentyPercentOffOrAPeakTwoOffDoNotMatch() {
        assertFalse(new FleetComparison(run(125, 1), FleetComparison.simulate(run(125, 1))).withinTolerance());
        assertFalse(new FleetComparison(run(100, 3), FleetComparison.simulate(run(100, 3))).withinTolerance());
    }
}
