package dev.longshore.local.autoscale;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The local Auto Scaling group: launches instances (a boot delay, then the worker process), tracks them into
 * service, evaluates the {@link Autoscaler} every period and applies its decision. Scale-in flips the chosen
 * instance's lifecycle state to Terminated and waits for its worker to drain, complete the hook and exit; it never
 * kills. The instance scaled in is the idle one launched last: a worker with jobs in flight (read from its
 * {@code longshore_inflight_messages}; unreadable counts as busy) is protected from scale-in, as
 * {@code WORKER_SCALE_IN_PROTECTION} makes it on AWS. The metric's in-flight count is the queue's
 * ApproximateNumberOfMessagesNotVisible, as the stack's metric reads it. {@link #step()} is called often (every 100 ms) by one
 * thread; times come from an injected {@link FleetClock}.
 */
public final class FleetController {
    private final Autoscaler autoscaler;
    private final ScalingPolicy policy;
    private final double bootDelay;
    private final InstanceDriver driver;
    private final Supplier<QueueGauge.Work> queueWork;
    private final FleetClock clock;
    private final Consumer<Activity> onActivity;
    private final List<FleetInstance> instances = new ArrayList<>();
    private final List<Activity> activities = new ArrayList<>();
    private double loadStart = Double.NaN;
    private double firstEvaluation = Double.NaN;
    private boolean evaluating;
    private boolean retiring;
    private long evaluations;
    private int lastVisible;
    private int peakDesired;
    private int peakRunning;

    public FleetController(ScalingPolicy policy, double bootDelaySeconds, InstanceDriver driver, Supplier<QueueGauge.Work> queueWork,
                           FleetClock clock, Consumer<Activity> onActivity) {
        this.autoscaler = new Autoscaler(policy);
        this.policy = policy;
        this.bootDelay = bootDelaySeconds;
        this.driver = driver;
        this.queueWork = queueWork;
        this.clock = clock;
        this.onActivity = onActivity;
    }

    private double now() {
        return clock.seconds();
    }

    /** Launches the instances at min, as the group has them before any load; they count as warm once in service. */
    public synchronized void launchMin() {
        for (int i = 0; i < policy.min(); i++) {
            launch(true);
        }
    }

    /** Every instance alive is in service (the group stands at min, ready for the load). */
    public synchronized boolean settledAtMin() {
        return instances.stream().filter(i -> i.state.alive()).allMatch(i -> i.state == InstanceState.IN_SERVICE)
                && count(InstanceState.IN_SERVICE) == policy.min();
    }

    /**
     * The load started at {@code start} (fleet clock; activity times count from it); the first evaluation is due at
     * {@code firstEvaluation}, then one every period.
     */
    public synchronized void startEvaluating(double start, double firstEvaluation) {
        this.loadStart = start;
        this.firstEvaluation = firstEvaluation;
        evaluating = true;
    }

    public synchronized double loadStart() {
        return loadStart;
    }

    /** Moves instances along and evaluates the policy when a period is due. */
    public synchronized void step() {
        double now = now();
        for (FleetInstance i : instances) {
            advance(i, now);
            if (retiring && i.state == InstanceState.IN_SERVICE) {
                scaleIn(i, now);
            }
        }
        if (evaluating && now >= firstEvaluation + evaluations * seconds(policy.period())) {
            evaluate(now);
            // a stalled caller evaluates once, not once per missed period
            while (firstEvaluation + evaluations * seconds(policy.period()) <= now) {
                evaluations++;
            }
        }
        peakDesired = Math.max(peakDesired, count(InstanceState.BOOTING) + count(InstanceState.STARTING)
                + count(InstanceState.IN_SERVICE));
        peakRunning = Math.max(peakRunning, (int) instances.stream().filter(i -> i.state.alive()).count());
    }

    private void advance(FleetInstance i, double now) {
        switch (i.state) {
            case BOOTING -> {
                if (now >= i.launchedAt() + bootDelay) {
                    try {
                        i.handle = driver.start(i.id());
                        i.startedAt = now;
                        i.state = InstanceState.STARTING;
                    } catch (IOException | RuntimeException e) {
                        fail(i, now, "worker did not start: " + e.getMessage());
                    }
                }
            }
            case STARTING -> {
                if (i.handle.ready()) {
                    i.readyAt = now;
                    i.state = InstanceState.IN_SERVICE;
                } else if (i.handle.exited()) {
                    fail(i, now, "worker exited with code " + i.handle.exitCode() + " before it was ready");
                }
            }
            case IN_SERVICE -> {
                if (i.handle.exited()) {
                    fail(i, now, "worker exited with code " + i.handle.exitCode() + " while in service, not scaled in");
                }
            }
            case DRAINING -> {
                if (Double.isNaN(i.drainStartedAt)) {
                    i.drainStartedAt = i.handle.drainStartedAt();
                }
                if (i.handle.exited()) {
                    i.exitCode = i.handle.exitCode();
                    i.lifecycleResult = i.handle.lifecycleResult().orElse(null);
                    i.endedAt = now;
                    i.handle.close();
                    if ("CONTINUE".equals(i.lifecycleResult) && i.exitCode == 0) {
                        i.state = InstanceState.TERMINATED;
                    } else {
                        i.state = InstanceState.FAILED;
                        i.problem = i.lifecycleResult == null
                                ? "worker exited with code " + i.exitCode + " without completing the lifecycle hook"
                                : "worker completed the lifecycle hook with " + i.lifecycleResult + " and exited " + i.exitCode;
                    }
                }
            }
            default -> {
                // TERMINATED and FAILED are final
            }
        }
    }

    private void fail(FleetInstance i, double now, String problem) {
        i.state = InstanceState.FAILED;
        i.problem = problem;
        i.endedAt = now;
        if (i.handle != null) {
            i.exitCode = i.handle.exited() ? i.handle.exitCode() : -1;
            if (!i.handle.exited()) {
                i.handle.kill();
            }
            i.handle.close();
        }
    }

    private void evaluate(double now) {
        QueueGauge.Work work = queueWork.get();
        lastVisible = work.visible();
        int warming = 0;
        // one metrics read per in-service worker per period (localhost); the idle ones are scale-in's candidates
        List<FleetInstance> idle = new ArrayList<>();
        for (FleetInstance i : instances) {
            if (i.state == InstanceState.IN_SERVICE && !i.initial() && now - i.readyAt < seconds(policy.warmup())) {
                warming++;
            }
            if (i.state == InstanceState.IN_SERVICE && i.handle.inFlight() == 0) {
                idle.add(i);
            }
        }
        Observation o = new Observation(work.visible(), work.inFlight(),
                count(InstanceState.BOOTING) + count(InstanceState.STARTING), count(InstanceState.IN_SERVICE), warming,
                count(InstanceState.DRAINING), idle.size());
        ScalingDecision d = autoscaler.evaluate(o);
        if (!d.changes()) {
            return;
        }
        for (int n = 0; n < d.launch(); n++) {
            launch(false);
        }
        for (int n = 0; n < d.terminate(); n++) {
            // the newest idle instance; the Autoscaler never asks for more than there are idle
            FleetInstance newest = null;
            for (FleetInstance i : idle) {
                if (i.state == InstanceState.IN_SERVICE && (newest == null || i.launchedAt() >= newest.launchedAt())) {
                    newest = i;
                }
            }
            scaleIn(newest, now);
        }
        Activity a = new Activity(now - loadStart, o.desired(), o.desired() + d.launch() - d.terminate(), d.reason());
        activities.add(a);
        onActivity.accept(a);
    }

    private void launch(boolean initial) {
        instances.add(new FleetInstance(String.format(Locale.ROOT, "i-%02d", instances.size() + 1), initial, now()));
    }

    private void scaleIn(FleetInstance i, double now) {
        i.state = InstanceState.DRAINING;
        i.scaledInAt = now;
        i.handle.scaleIn();
    }

    /**
     * The end of a run: every instance still in service is scaled in the same way (lifecycle hook, drain, exit);
     * evaluations stop, and instances still booting are started and scaled in once ready.
     */
    public synchronized void retireAll() {
        evaluating = false;
        retiring = true;
        step();
    }

    /** True when no instance is alive any more. */
    public synchronized boolean allEnded() {
        return instances.stream().noneMatch(i -> i.state.alive());
    }

    /** Last resort after a timeout: kills what is still alive and marks it failed. */
    public synchronized void killRemaining(String why) {
        double now = now();
        for (FleetInstance i : instances) {
            if (i.state.alive()) {
                fail(i, now, why);
            }
        }
    }

    public synchronized FleetSnapshot snapshot() {
        double now = now();
        int warming = 0;
        for (FleetInstance i : instances) {
            if (i.state == InstanceState.IN_SERVICE && !i.initial() && now - i.readyAt < seconds(policy.warmup())) {
                warming++;
            }
        }
        List<FleetInstance> copies = instances.stream().map(FleetInstance::copy).toList();
        return new FleetSnapshot(now, Double.isNaN(loadStart) ? now : now - loadStart, seconds(policy.warmup()), lastVisible,
                count(InstanceState.BOOTING) + count(InstanceState.STARTING), warming, count(InstanceState.IN_SERVICE),
                count(InstanceState.DRAINING), peakDesired, peakRunning, copies, List.copyOf(activities));
    }

    public synchronized int lastVisible() {
        return lastVisible;
    }

    public synchronized double seconds() {
        return now();
    }

    private int count(InstanceState s) {
        int n = 0;
        for (FleetInstance i : instances) {
            if (i.state == s) {
                n++;
            }
        }
        return n;
    }

    private static double seconds(Duration d) {
        return Figures.seconds(d);
    }
}
