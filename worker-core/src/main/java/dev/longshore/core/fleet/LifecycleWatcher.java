package dev.longshore.core.fleet;

import dev.longshore.core.DrainReport;
import dev.longshore.core.ExitCodes;
import dev.longshore.core.WorkerControl;
import dev.longshore.core.WorkerExtension;
import dev.longshore.core.concurrent.BackgroundThread;
import dev.longshore.core.config.Durations;
import dev.longshore.core.config.LifecycleHook;
import dev.longshore.core.metrics.Counter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Scale-in without losing or repeating a job (docs/fleet.md: Scale-in through a lifecycle hook). Polls IMDSv2 for the instance's target
 * lifecycle state and for spot notices on its own thread ({@code worker-<name>-lifecycle}); on {@code Terminated}
 * it drains the worker within the lifecycle drain timeout, sends RecordLifecycleActionHeartbeat while jobs run, and
 * once the drain is over (jobs finished, the rest released, deletes flushed) completes the lifecycle action with
 * CONTINUE. A spot notice starts the same drain at once, bounded to fit the notice.
 *
 * <p>The first thing the thread does is the off-EC2 probe, so {@link #start} returns at once. The completion runs
 * as an after-drain step of the worker, whoever started the drain: a worker drained by SIGTERM that then sees
 * {@code Terminated} still completes the action before it exits.
 */
public final class LifecycleWatcher implements WorkerExtension {
    private static final Logger log = LoggerFactory.getLogger(LifecycleWatcher.class);
    static final String TERMINATED = "Terminated";
    /**
     * Of a spot notice's two minutes, what the drain leaves for cancelling and releasing the jobs still running,
     * flushing deletes and exiting before EC2 acts.
     */
    static final Duration SPOT_SAFETY_MARGIN = Duration.ofSeconds(20);
    /**
     * The first heartbeat goes out this soon after Terminated (or sooner with a shorter interval): an idle worker
     * has completed the action by then and needs none, a busy one restarts the hook's timeout early and shows a
     * permission problem while there is still time to see it.
     */
    static final Duration FIRST_HEARTBEAT_AFTER = Duration.ofSeconds(2);
    /** Polling failures (IMDS throttled or restarting) are logged at most this often. */
    static final Duration FAILURE_LOG_PERIOD = Duration.ofMinutes(5);

    private final FleetContext fleet;
    private final LifecycleHook hook;
    private final Clock clock;
    private final RateLimitedWarning pollFailures;
    private final Object actionLock = new Object();
    private WorkerControl control;
    private Counter rebalances;
    private final BackgroundThread thread = new BackgroundThread();
    private String instanceId;
    private String lastState;
    private boolean missingStateLogged;
    private boolean spotSeen;
    private boolean rebalanceSeen;
    // guarded by actionLock
    private boolean terminating;
    private boolean drainFinished;
    private boolean completed;
    private Instant nextHeartbeat;

    LifecycleWatcher(FleetContext fleet, LifecycleHook hook, Clock clock) {
        this.fleet = fleet;
        this.hook = hook;
        this.clock = clock;
        this.pollFailures = new RateLimitedWarning(log, FAILURE_LOG_PERIOD, clock);
    }

    @Override
    public void start(WorkerControl control) {
        this.control = control;
        this.rebalances = control.metrics().counter("longshore_rebalance_recommendations_total");
        control.onDrained(this::afterDrain);
        thread.start("worker-" + control.workerName() + "-lifecycle", this::run);
    }

    private void run() {
        MDC.put("worker", control.workerName());
        Optional<String> id = fleet.instanceId();
        while (id.isEmpty()) {
            if (fleet.offEc2() || thread.closed()) {
                return;
            }
            sleepUntil(clock.instant().plus(hook.pollInterval()));
            id = fleet.instanceId();
        }
        instanceId = id.get();
        log.info("lifecycle watcher on: hook {}, instance {}, target-lifecycle-state read every {}, heartbeat every {}",
                hook.name(), instanceId, Durations.format(hook.pollInterval()), Durations.format(hook.heartbeatInterval()));
        // Early, so a missing permission or group shows in the log at start and not only at scale-in.
        fleet.requireGroupName();
        Instant nextPoll = clock.instant();
        while (!thread.closed()) {
            Instant now = clock.instant();
            if (!isTerminating() && !now.isBefore(nextPoll)) {
                poll();
                nextPoll = now.plus(hook.pollInterval());
            }
            heartbeatIfDue();
            Instant heartbeat = heartbeatDue();
            if (heartbeat != null) {
                sleepUntil(heartbeat);
            } else {
                // Not terminating: until the next poll. Action completed: nothing left but to wait for close().
                sleepUntil(isTerminating() ? clock.instant().plus(hook.pollInterval()) : nextPoll);
            }
        }
    }

    private void poll() {
        try {
            Optional<String> state = fleet.metadata().read(InstanceMetadata.TARGET_LIFECYCLE_STATE);
            if (state.isEmpty() && !missingStateLogged) {
                missingStateLogged = true;
                log.info("instance metadata has no target-lifecycle-state (yet): is the instance in an Auto Scaling group?");
            }
            if (state.isPresent() && !state.get().equals(lastState)) {
                log.info("target lifecycle state {}", state.get());
                lastState = state.get();
            }
            if (state.isPresent() && state.get().equals(TERMINATED)) {
                onTerminated();
                return;
            }
            if (!spotSeen) {
                Optional<String> notice = fleet.metadata().read(InstanceMetadata.SPOT_INSTANCE_ACTION);
                if (notice.isPresent()) {
                    spotSeen = true;
                    onSpotNotice(notice.get());
                }
            }
            if (!rebalanceSeen) {
                Optional<String> rebalance = fleet.metadata().read(InstanceMetadata.REBALANCE_RECOMMENDATION);
                if (rebalance.isPresent()) {
                    rebalanceSeen = true;
                    rebalances.increment();
                    log.warn("EC2 rebalance recommendation ({}): this spot instance is at elevated risk of interruption",
                            rebalance.get().replaceAll("\\s+", " "));
                }
            }
            pollFailures.success("reading instance metadata");
        } catch (MetadataUnavailableException e) {
            pollFailures.failure("reading instance metadata", e.getMessage());
        }
    }

    private void onTerminated() {
        synchronized (actionLock) {
            if (terminating) {
                return;
            }
            terminating = true;
            Duration every = hook.heartbeatInterval();
            Duration first = every.compareTo(FIRST_HEARTBEAT_AFTER) < 0 ? every : FIRST_HEARTBEAT_AFTER;
            nextHeartbeat = clock.instant().plus(first);
        }
        log.info("target lifecycle state Terminated: draining within {}, then completing lifecycle hook {}",
                Durations.format(hook.drainTimeout()), hook.name());
        control.drain("lifecycle Terminated", hook.drainTimeout(), ExitCodes.OK);
        synchronized (actionLock) {
            // A drain started by something else may already be over: its after-drain step did not complete the
            // action then, because Terminated had not been seen.
            if (drainFinished && !completed) {
                completeAction(null);
            }
        }
    }

    private void onSpotNotice(String body) {
        Instant now = clock.instant();
        SpotNotice notice = SpotNotice.parse(body, now);
        Duration budget = notice.drainBudget(now, hook.drainTimeout(), SPOT_SAFETY_MARGIN);
        log.warn("spot interruption notice: {} at {}; draining with {} ms for running jobs", notice.action(),
                notice.at(), budget.toMillis());
        control.drain("spot interruption notice (" + notice.action() + " at " + notice.at() + ")", budget, ExitCodes.OK);
    }

    private boolean isTerminating() {
        synchronized (actionLock) {
            return terminating;
        }
    }

    private Instant heartbeatDue() {
        synchronized (actionLock) {
            return terminating && !completed ? nextHeartbeat : null;
        }
    }

    private void heartbeatIfDue() {
        synchronized (actionLock) {
            if (!terminating || completed || clock.instant().isBefore(nextHeartbeat)) {
                return;
            }
            nextHeartbeat = clock.instant().plus(hook.heartbeatInterval());
            Optional<String> group = fleet.requireGroupName();
            if (group.isEmpty()) {
                log.error("cannot send RecordLifecycleActionHeartbeat: the Auto Scaling group is unknown (set WORKER_ASG_NAME)");
                return;
            }
            try {
                fleet.autoScaling().recordLifecycleActionHeartbeat(hook.name(), group.get(), instanceId);
                log.info("lifecycle action heartbeat sent ({} job(s) in flight)", control.inflight());
            } catch (RuntimeException e) {
                log.warn("RecordLifecycleActionHeartbeat failed: {}", ImdsInstanceMetadata.oneLine(e.getMessage()));
            }
        }
    }

    /** The worker's after-drain step, on its drain thread: jobs are done or released, deletes flushed. */
    private void afterDrain(DrainReport report) {
        synchronized (actionLock) {
            drainFinished = true;
            if (terminating && !completed) {
                completeAction(report);
            }
        }
    }

    private void completeAction(DrainReport report) {
        completed = true;
        Optional<String> group = fleet.requireGroupName();
        if (group.isEmpty()) {
            log.error("cannot complete lifecycle action: the Auto Scaling group is unknown (set WORKER_ASG_NAME); the "
                    + "hook's DefaultResult applies when its heartbeat timeout ends");
            return;
        }
        if (report != null) {
            log.info("completing lifecycle action: hook {}, group {}, instance {}, CONTINUE ({} job(s) finished, {} released)",
                    hook.name(), group.get(), instanceId, report.finished(), report.released());
        } else {
            log.info("completing lifecycle action: hook {}, group {}, instance {}, CONTINUE", hook.name(), group.get(), instanceId);
        }
        long started = System.nanoTime();
        try {
            fleet.autoScaling().completeLifecycleAction(hook.name(), group.get(), instanceId, "CONTINUE");
            log.info("lifecycle action completed in {} ms", (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            log.error("CompleteLifecycleAction failed: {}; the hook's DefaultResult applies when its heartbeat timeout "
                    + "ends", ImdsInstanceMetadata.oneLine(e.getMessage()));
        }
    }

    private void sleepUntil(Instant next) {
        thread.pause(Duration.between(clock.instant(), next).toMillis());
    }

    /** True once the lifecycle state said Terminated (for tests and the scale-in stand-in's logs). */
    boolean terminationSeen() {
        return isTerminating();
    }

    @Override
    public void close() {
        thread.close(BackgroundThread.DEFAULT_CLOSE_WAIT);
    }
}
