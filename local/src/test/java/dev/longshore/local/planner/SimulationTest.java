package dev.longshore.local.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.local.autoscale.LoadShape;
import dev.longshore.local.autoscale.ProcessingTime;
import dev.longshore.local.autoscale.ScalingPolicy;
import dev.longshore.local.autoscale.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scenarios small enough to work out by hand; each comment gives the working. */
class SimulationTest {
    private static final double PRICE = 0.0168;

    private static Workload jobs(int n, double at, double processing) {
        List<Workload.Job> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            jobs.add(new Workload.Job("job-" + i, at, processing));
        }
        return new Workload(jobs);
    }

    private static ScalingPolicy policy(int min, int max, double target, int scaleInPeriods) {
        return new ScalingPolicy(min, max, target, Duration.ofSeconds(60), 3, scaleInPeriods, 0.9, Duration.ofSeconds(180));
    }

    @Test
    void oneWarmInstanceRunsTenJobsBackToBack() {
        // 10 jobs of 10 s at 0 on one instance with one slot: they finish at 10, 20, ..., 100
        SimulationResult r = new Simulation(jobs(10, 0, 10), policy(1, 1, 20, 15),
                new InstanceModel(1, 120, 2.5, PRICE), 0).run();
        assertEquals(100, r.timeToDrain(), 1e-9);
        assertEquals(50, r.latency().at(50), 1e-9);
        assertEquals(90, r.latency().at(90), 1e-9);
        assertEquals(100, r.latency().max(), 1e-9);
        assertEquals(0, r.firstJobWait(), 1e-9);
        assertEquals(1, r.peakDesired());
        assertEquals(0, r.launched());
        assertEquals(100, r.end(), 1e-9, "settled when the last job finished: already at min");
        assertEquals(100, r.instanceSeconds(), 1e-9);
        assertEquals(9, r.peakQueue(), "one of the ten started at once");
    }

    @Test
    void fromZeroTheFirstJobWaitsForABootAndTheInstanceLeavesAfterFifteenLowPeriods() {
        // t=0 evaluation: zero to one. Ready at 120, the job runs 120-150. Evaluations from 120 see 0 visible
        // (below 1): the 15th is at 120 + 14 x 60 = 960 (warmup ended at 300), scale-in, notice 2.5 s -> 962.5.
        SimulationResult r = new Simulation(jobs(1, 0, 30), policy(0, 10, 20, 15),
                new InstanceModel(1, 120, 2.5, PRICE), 0).run();
        assertEquals(120, r.firstJobWait(), 1e-9);
        assertEquals(150, r.timeToDrain(), 1e-9);
        assertEquals(962.5, r.end(), 1e-9);
        assertEquals(962.5, r.instanceSeconds(), 1e-9);
        assertEquals(962.5 * PRICE / 3600, r.cost(), 1e-12);
        assertEquals(2, r.activities().size());
        assertEquals(960, r.activities().get(1).t(), 1e-9);
    }

    @Test
    void aJobArrivingJustAfterAnEvaluationWaitsAPeriodPlusTheBoot() {
        // arrives at 1 s; the next evaluation is at 60 (zero to one), ready at 180
        SimulationResult r = new Simulation(jobs(1, 1, 30), policy(0, 10, 20, 15),
                new InstanceModel(1, 120, 2.5, PRICE), 0).run();
        assertEquals(179, r.firstJobWait(), 1e-9);
    }

    @Test
    void scaleOutLaunchesCeilOfBacklogOverTargetAfterThreePeriods() {
        // 100 jobs of 600 s, one warm instance, target 10, max 10. Job 1 starts at 0; evaluations at 0, 60, 120 see
        // 99 visible (99 per instance > 10): at 120, ceil(99 / 10) = 10 -> launch 9, ready at 240. Starts: instance 1
        // at 0, 600, ..., 5400 (10 jobs); the nine at 240, 840, ..., 5640 (90 jobs). Last job: 5640 + 600 = 6240.
        // (Scale-in is kept out of this one: 100000 periods.)
        SimulationResult r = new Simulation(jobs(100, 0, 600), policy(1, 10, 10, 100_000),
                new InstanceModel(1, 120, 2.5, PRICE), 0).run();
        assertEquals(6240, r.timeToDrain(), 1e-9);
        assertEquals(10, r.peakDesired());
        assertEquals(9, r.launched());
        assertEquals(120, r.activities().get(0).t(), 1e-9);
        assertEquals(10, r.activities().get(0).to());
        assertEquals(1, r.activities().size());
    }

    @Test
    void aHorizonKeepsTheGroupAtMinUntilItsEndAndBillsIt() {
        // one 10 s job on the instance at min; a one-hour window bills that instance for the hour
        SimulationResult r = new Simulation(jobs(1, 0, 10), policy(1, 5, 20, 15),
                new InstanceModel(1, 120, 2.5, 0.36), 3600).run();
        assertEquals(10, r.timeToDrain(), 1e-9);
        assertEquals(3600, r.end(), 1e-9);
        assertEquals(3600, r.instanceSeconds(), 1e-9);
        assertEquals(0.36, r.cost(), 1e-12);
    }

    @Test
    void maxCapsTheScaleOutAndStretchesTheDrain() {
        // same as above with max 5: 4 launched at 120, ready at 240; instance 1 runs 10 jobs by 5400, the four
        // run jobs at 240 + 600k. 100 jobs = 1 + 4 per 600 s... instance 1 starts 0, 600, ...; the others start
        // 240, 840, ...: by start time 240 + 600k there were k+1 (instance 1, up to 600k) + 4(k+1) = 5(k+1) starts;
        // the 100th start is at k = 19: 240 + 11400 = 11640 (instance 1's 20th start is at 11400 < 11640, counted).
        SimulationResult r = new Simulation(jobs(100, 0, 600), policy(1, 5, 10, 100_000),
                new InstanceModel(1, 120, 2.5, PRICE), 0).run();
        assertEquals(5, r.peakDesired());
        assertEquals(11640 + 600, r.timeToDrain(), 1e-9);
    }

    @Test
    void aBusyInstanceIsNotScaledInAndTheGroupShrinksOnceItIsIdle() {
        // 2 jobs of 100 s at 0; 1 warm instance; target 0.5 and 1-period alarms, period 10 s, boot 10 s, no warmup.
        // t=0: job A on instance 1; (1 visible + 1 in flight) / 1 = 2 > 0.5: launch 1 (ceil(2 / 0.5) = 4, max 2).
        // t=10: instance 2 ready, takes job B (to 110); 2 in flight / 2 = 1 > 0.5: hold at max. t=100: A done;
        // 1 / 2 = 0.5 is not below 0.45: hold (the old visible-only metric scaled the busy instance 2 in at t=10).
        // t=110: B done; 0 work: want max(1, 0) = 1 -> the newest idle instance, 2, notice at 112.5, terminated.
        ScalingPolicy p = new ScalingPolicy(1, 2, 0.5, Duration.ofSeconds(10), 1, 1, 0.9, Duration.ZERO);
        SimulationResult r = new Simulation(jobs(2, 0, 100), p, new InstanceModel(1, 10, 2.5, PRICE), 0).run();
        assertEquals(110, r.timeToDrain(), 1e-9);
        assertEquals(112.5, r.end(), 1e-9);
        assertEquals(112.5 + 112.5, r.instanceSeconds(), 1e-9);
        assertEquals(2, r.peakRunning());
        assertEquals(1, r.scaledIn());
        assertEquals(0, r.scaledInBusy());
        assertEquals(110, r.activities().get(1).t(), 1e-9);
    }

    @Test
    void launchedInstancesTakeTheBootTimesGivenInLaunchOrder() {
        // zero to one at 0 with the first given boot (30 s) instead of the model's 120 s
        SimulationResult r = new Simulation(jobs(1, 0, 10), policy(0, 10, 20, 15), new InstanceModel(1, 120, 2.5, PRICE), 0)
                .withBootSequence(new double[] {30}).run();
        assertEquals(30, r.firstJobWait(), 1e-9);
        assertEquals(40, r.timeToDrain(), 1e-9);
    }

    @Test
    void billingIsPerSecondWithAOneMinuteMinimum() {
        InstanceModel m = new InstanceModel(1, 0, 0, 0.36);
        assertEquals(0.006, m.cost(30), 1e-12);
        assertEquals(0.36, m.cost(3600), 1e-12);
    }

    @Test
    void aDayOfPoissonArrivalsIsSimulatedToTheEndWithEveryJobCompleted() {
        // 24 h at 3 jobs/s, exponential 40 s, 4 per instance: about 260,000 jobs, 30 instances busy on average
        Workload day = Workload.generate(LoadShape.parse("3/s@0-24h"), true, ProcessingTime.parse("exp:40s"), 5, "j");
        SimulationResult r = new Simulation(day, ScalingPolicy.aws(0, 60, 20, Duration.ofSeconds(180)),
                new InstanceModel(4, 120, 2.5, PRICE), 0).run();
        assertTrue(r.drained());
        assertEquals(day.size(), r.completed());
        assertTrue(r.peakDesired() > 20 && r.peakDesired() <= 60, "peak " + r.peakDesired());
    }

    @Test
    void aConstantLoadHoldsItsSizeWithNoSawtoothAndNoBusyInstanceScaledIn() {
        // 1/s of 30 s jobs on concurrency 4: 30 in flight, 7.5 instances; the target 4 settles at 8
        Workload load = Workload.generate(LoadShape.parse("1/s@0-4h"), false, ProcessingTime.parse("const:30s"), 1, "j-");
        ScalingPolicy policy = ScalingPolicy.aws(1, 20, ScalingPolicy.targetFor(4, 1), ScalingPolicy.DEFAULT_WARMUP);
        SimulationResult r = new Simulation(load, policy, new InstanceModel(4, 120, 2.5, PRICE), 0).run();
        assertTrue(r.drained());
        assertEquals(0, r.scaledInBusy(), "scale-in protection: no instance with a job running is scaled in");
        assertTrue(r.launched() <= 20, "the ramp's backlog, then no churn: " + r.launched() + " launched");
        // once the ramp's backlog is gone (well inside the first hour) the group holds until the load ends at 4h
        for (var a : r.activities()) {
            if (a.t() > 3600 && a.t() < 4 * 3600) {
                throw new AssertionError("scaling while the load is steady: " + a);
            }
        }
        // and the size it holds is the steady-state one
        var steady = r.activities().stream().filter(a -> a.t() < 3600).reduce((x, y) -> y).orElseThrow();
        assertEquals(8, steady.to(), r.activities().toString());
    }
}
