package dev.longshore.local.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The local group with fake workers and a hand-moved clock: what it starts, when, and how it scales in. */
class FleetControllerTest {
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger visible = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, FakeWorker> workers = new LinkedHashMap<>();
    private final List<Activity> activities = new ArrayList<>();

    /** A worker the test steers: ready, exit, hook completion. */
    static final class FakeWorker implements WorkerHandle {
        boolean ready;
        boolean exited;
        int exitCode;
        boolean scaledIn;
        boolean killed;
        String lifecycleResult;
        double drainStartedAt = Double.NaN;
        int jobs;
        private final FleetClock clock;

        FakeWorker(FleetClock clock) {
            this.clock = clock;
        }

        /** What a real worker does when it has drained: completes the hook, exits 0. */
        void drainAndExit() {
            lifecycleResult = "CONTINUE";
            exited = true;
        }

        @Override
        public boolean ready() {
            return ready;
        }

        @Override
        public boolean exited() {
            return exited;
        }

        @Override
        public int exitCode() {
            return exitCode;
        }

        @Override
        public void scaleIn() {
            scaledIn = true;
            // a real worker sees Terminated at its next lifecycle poll
            drainStartedAt = clock.seconds() + 0.25;
        }

        @Override
        public Optional<String> lifecycleResult() {
            return Optional.ofNullable(lifecycleResult);
        }

        @Override
        public double drainStartedAt() {
            return drainStartedAt;
        }

        @Override
        public int inFlight() {
            return jobs;
        }

        @Override
        public void kill() {
            killed = true;
            exited = true;
        }

        @Override
        public void close() {
        }
    }

    private FleetController controller(int min, int max, double target, double boot) {
        ScalingPolicy policy = new ScalingPolicy(min, max, target, Duration.ofSeconds(1), 3, 5, 0.9, Duration.ofSeconds(4));
        FleetClock clock = new FleetClock(nanos::get);
        return new FleetController(policy, boot, id -> {
            FakeWorker w = new FakeWorker(clock);
            workers.put(id, w);
            return w;
        }, () -> new QueueGauge.Work(visible.get(), inFlight.get()), clock, activities::add);
    }

    /** A group of min 1 whose first instance, i-01, is launched and in service; nothing evaluated yet. */
    private FleetController oneInServiceAtMin(int max) {
        FleetController c = controller(1, max, 10, 0);
        c.launchMin();
        c.step();
        workers.get("i-01").ready = true;
        c.step();
        return c;
    }

    /** From zero, {@code backlog} messages waiting: the first instance comes into service, then three periods pass. */
    private void scaleOutFromZero(FleetController c, int backlog) {
        visible.set(backlog);
        c.startEvaluating(0, 0);
        advance(c, 0.2);
        workers.get("i-01").ready = true;
        advance(c, 3.0);
    }

    private void advance(FleetController c, double seconds) {
        // the real loop steps every 100 ms
        long steps = Math.round(seconds * 10);
        for (long i = 0; i < steps; i++) {
            nanos.addAndGet(100_000_000L);
            c.step();
        }
    }

    private static FleetInstance instance(FleetController c, String id) {
        return c.snapshot().instances().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void startsTheWorkerOnlyAfterTheBootDelayAndCountsItInServiceWhenReady() {
        FleetController c = controller(0, 5, 10, 3);
        visible.set(8);
        c.startEvaluating(0, 0);
        c.step();
        assertEquals(1, c.snapshot().booting(), "zero to one at the first evaluation");
        advance(c, 2.9);
        assertTrue(workers.isEmpty(), "no worker before the boot delay is over");
        advance(c, 0.2);
        assertNotNull(workers.get("i-01"));
        assertEquals(InstanceState.STARTING, instance(c, "i-01").state());
        assertEquals(1, c.snapshot().booting(), "a starting worker still counts as booting");
        workers.get("i-01").ready = true;
        advance(c, 0.1);
        assertEquals(InstanceState.IN_SERVICE, instance(c, "i-01").state());
        assertEquals(1, c.snapshot().inService());
        assertEquals(3.2, instance(c, "i-01").bootSeconds(), 0.05);
    }

    @Test
    void scalesOutByTheRuleOnlyOncePerPeriod() {
        FleetController c = oneInServiceAtMin(5);
        visible.set(45);
        c.startEvaluating(0, 0.05);
        advance(c, 2.0); // evaluations at 0.05, 1.05: two periods above
        assertEquals(1, c.snapshot().desired());
        advance(c, 1.0); // the third
        assertEquals(5, c.snapshot().desired(), "ceil(45 / 10) = 5");
        assertEquals(1, activities.size());
        assertEquals(1, activities.get(0).from());
        assertEquals(5, activities.get(0).to());
    }

    @Test
    void scaleInFlipsTheLifecycleStateAndTheInstanceEndsOnlyAfterTheHookAndExit() {
        FleetController c = controller(0, 5, 10, 0);
        visible.set(1);
        c.startEvaluating(0, 0);
        advance(c, 0.2);
        workers.get("i-01").ready = true;
        visible.set(0);
        advance(c, 4.0); // warmup 4 s must pass
        advance(c, 5.0); // then 5 periods below
        FakeWorker w = workers.get("i-01");
        assertTrue(w.scaledIn, "scale-in goes through the lifecycle state");
        assertEquals(InstanceState.DRAINING, instance(c, "i-01").state());
        advance(c, 3.0);
        assertEquals(InstanceState.DRAINING, instance(c, "i-01").state(), "still draining until the worker exits");
        w.drainAndExit();
        advance(c, 0.1);
        assertEquals(InstanceState.TERMINATED, instance(c, "i-01").state());
        assertEquals("CONTINUE", instance(c, "i-01").lifecycleResult());
        assertEquals(0.25, instance(c, "i-01").noticeSeconds(), 1e-9);
        assertFalse(w.killed, "never killed");
    }

    @Test
    void scaleInPicksTheInstanceLaunchedLast() {
        FleetController c = controller(0, 5, 10, 0);
        scaleOutFromZero(c, 30);
        assertEquals(3, c.snapshot().desired());
        workers.values().forEach(w -> w.ready = true);
        visible.set(12); // 12 / 3 = 4 < 9: ceil(12 / 10) = 2 wanted
        advance(c, 10.0);
        assertTrue(workers.get("i-03").scaledIn);
        assertFalse(workers.get("i-01").scaledIn);
        assertFalse(workers.get("i-02").scaledIn);
    }

    @Test
    void workerExitingWithoutCompletingTheHookIsReportedAsFailed() {
        FleetController c = oneInServiceAtMin(1);
        c.retireAll();
        FakeWorker w = workers.get("i-01");
        assertTrue(w.scaledIn);
        w.exited = true;
        w.exitCode = 0;
        c.step();
        FleetInstance i = instance(c, "i-01");
        assertEquals(InstanceState.FAILED, i.state());
        assertTrue(i.problem().contains("without completing the lifecycle hook"), i.problem());
    }

    @Test
    void workerExitingWhileInServiceIsReportedAsFailed() {
        FleetController c = oneInServiceAtMin(1);
        workers.get("i-01").exited = true;
        workers.get("i-01").exitCode = 1;
        c.step();
        assertEquals(InstanceState.FAILED, instance(c, "i-01").state());
        assertTrue(instance(c, "i-01").problem().contains("code 1"));
    }

    @Test
    void retireAllScalesInInstancesStillBootingOnceTheyAreReady() {
        FleetController c = controller(2, 2, 10, 1);
        c.launchMin();
        advance(c, 1.1);
        workers.get("i-01").ready = true;
        advance(c, 0.1);
        c.retireAll();
        assertTrue(workers.get("i-01").scaledIn);
        assertFalse(workers.get("i-02").scaledIn, "not ready yet");
        workers.get("i-02").ready = true;
        advance(c, 0.1);
        assertTrue(workers.get("i-02").scaledIn);
        workers.values().forEach(FakeWorker::drainAndExit);
        advance(c, 0.1);
        assertTrue(c.allEnded());
    }

    @Test
    void warmupCountsFromInServiceAndInitialInstancesAreWarm() {
        FleetController c = oneInServiceAtMin(5);
        visible.set(25);
        c.startEvaluating(nanos.get() / 1e9, nanos.get() / 1e9);
        advance(c, 3.0);
        workers.values().forEach(w -> w.ready = true);
        advance(c, 0.1);
        FleetSnapshot s = c.snapshot();
        assertEquals(3, s.inService());
        assertEquals(2, s.warming(), "the two new ones warm up; the one at min does not");
    }

    @Test
    void busyInstancesAreNeverScaledInOnlyIdleOnes() {
        FleetController c = controller(0, 3, 4, 0);
        scaleOutFromZero(c, 30);
        assertEquals(3, c.snapshot().desired(), "ceil(30 / 4) = 8, max 3");
        workers.values().forEach(w -> w.ready = true);
        // the backlog is done; the oldest and the newest still run a job each, i-02 is idle
        visible.set(0);
        inFlight.set(2);
        workers.get("i-01").jobs = 1;
        workers.get("i-03").jobs = 1;
        advance(c, 60.0); // 2 / 3 < 3.6 for far longer than 5 periods: ceil(2 / 4) = 1 wanted
        assertTrue(workers.get("i-02").scaledIn, "the idle one goes");
        assertFalse(workers.get("i-03").scaledIn, "the newest is busy: protected");
        assertFalse(workers.get("i-01").scaledIn, "busy: protected");
        assertEquals(InstanceState.IN_SERVICE, instance(c, "i-03").state());
        // an instance whose metrics cannot be read counts as busy
        workers.get("i-03").jobs = -1;
        advance(c, 10.0);
        assertFalse(workers.get("i-03").scaledIn);
        // its job done, the newest becomes the candidate
        workers.get("i-03").jobs = 0;
        inFlight.set(1);
        advance(c, 1.0);
        assertTrue(workers.get("i-03").scaledIn);
        assertFalse(workers.get("i-01").scaledIn, "min 0 would allow it, but it is still busy");
        for (Activity a : activities) {
            assertTrue(a.to() >= 1 || a.from() < a.to(), a.toString());
        }
    }
}
