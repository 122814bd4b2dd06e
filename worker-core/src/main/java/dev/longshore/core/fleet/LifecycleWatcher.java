package dev.longshore.core.fleet;

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
 * it hands over to the {@link LifecycleAction}, which drains the worker and completes the action, and from then on
 * the thread only sends the action's heartbeats. A spot notice starts the same drain at once, bounded to fit the
 * notice.
 *
 * <p>The first thing the thread does is the off-EC2 probe, so {@link #start} returns at once.
 */
public final class LifecycleWatcher implements WorkerExtension {
    private static final Logger log = LoggerFactory.getLogger(LifecycleWatcher.class);
    static final String TERMINATED = "Terminated";
    /**
     * Of a spot notice's two minutes, what the drain leaves for cancelling and releasing the jobs still running,
     * flushing deletes and exiting before EC2 acts.
     */
    static final Duration SPOT_SAFETY_MARGIN = Duration.ofSeconds(20);
    /** Polling failures (IMDS throttled or restarting) are logged at most this often. */
    static final Duration FAILURE_LOG_PERIOD = Duration.ofMinutes(5);

    private final FleetContext fleet;
    private final LifecycleHook hook;
    private final Clock clock;
    private final RateLimitedWarning pollFailures;
    private WorkerControl control;
    private LifecycleAction action;
    private Counter rebalances;
    private final BackgroundThread thread = new BackgroundThread();
    private String lastState;
    private boolean missingStateLogged;
    private boolean spotSeen;
    private boolean rebalanceSeen;

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
        // Now, not when Terminated is seen: a drain by a signal may end first, and the action must know it did.
        this.action = new LifecycleAction(fleet, hook, control, clock);
        control.onDrained(action::drainEnded);
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
        log.info("lifecycle watcher on: hook {}, instance {}, target-lifecycle-state read every {}, heartbeat every {}",
                hook.name(), id.get(), Durations.format(hook.pollInterval()), Durations.format(hook.heartbeatInterval()));
        // Early, so a missing permission or group shows in the log at start and not only at scale-in.
        fleet.requireGroupName();
        Instant nextPoll = clock.instant();
        while (!thread.closed()) {
            Instant now = clock.instant();
            if (!action.begun() && !now.isBefore(nextPoll)) {
                poll();
                nextPoll = now.plus(hook.pollInterval());
            }
            action.heartbeatIfDue();
            Optional<Instant> heartbeat = action.nextHeartbeat();
            if (heartbeat.isPresent()) {
                sleepUntil(heartbeat.get());
            } else {
                // Not terminating: until the next poll. Action completed: nothing left but to wait for close().
                sleepUntil(action.begun() ? clock.instant().plus(hook.pollInterval()) : nextPoll);
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
                action.begin();
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

    private void onSpotNotice(String body) {
        Instant now = clock.instant();
        SpotNotice notice = SpotNotice.parse(body, now);
        Duration budget = notice.drainBudget(now, hook.drainTimeout(), SPOT_SAFETY_MARGIN);
        log.warn("spot interruption notice: {} at {}; draining with {} ms for running jobs", notice.action(),
                notice.at(), budget.toMillis());
        control.drain("spot interruption notice (" + notice.action() + " at " + notice.at() + ")", budget, ExitCodes.OK);
    }

    private void sleepUntil(Instant next) {
        thread.pause(Duration.between(clock.instant(), next).toMillis());
    }

    /** True once the lifecycle state said Terminated (for tests and the scale-in stand-in's logs). */
    boolean terminationSeen() {
        return action != null && action.begun();
    }

    @Override
    public void close() {
        thread.close(BackgroundThread.DEFAULT_CLOSE_WAIT);
    }
}
