package dev.longshore.core.fleet;

import dev.longshore.core.DrainReport;
import dev.longshore.core.ExitCodes;
import dev.longshore.core.WorkerControl;
import dev.longshore.core.config.Durations;
import dev.longshore.core.config.LifecycleHook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Auto Scaling lifecycle action of this instance's scale-in (docs/fleet.md: Scale-in through a lifecycle hook).
 * Once told that the target lifecycle state is {@code Terminated} it drains the worker within the hook's drain
 * timeout, keeps the action alive with RecordLifecycleActionHeartbeat while the drain runs, and completes it with
 * CONTINUE, once, when the drain is over (jobs finished, the rest released, deletes flushed).
 *
 * <p>The completion runs as an after-drain step of the worker, whoever started the drain: a worker drained by
 * SIGTERM that then sees {@code Terminated} still completes the action before it exits. So the watcher's thread
 * (Terminated, heartbeats) and the worker's drain thread (the end of the drain) both move it, under its own lock.
 */
final class LifecycleAction {
    /**
     * The watcher's logger: these lines were LifecycleWatcher's before the action had a class of its own, and
     * operators find them by that {@code logger} field (README: Health and metrics).
     */
    private static final Logger log = LoggerFactory.getLogger(LifecycleWatcher.class);
    /**
     * The first heartbeat goes out this soon after Terminated (or sooner with a shorter interval): an idle worker
     * has completed the action by then and needs none, a busy one restarts the hook's timeout early and shows a
     * permission problem while there is still time to see it.
     */
    static final Duration FIRST_HEARTBEAT_AFTER = Duration.ofSeconds(2);

    /** Where the scale-in stands; the drain may end before Terminated is seen, or after. */
    private enum Stage {
        /** Neither Terminated seen nor the drain over. */
        WATCHING,
        /** The drain ended (a signal, a spot notice) before Terminated was seen: nothing to complete yet. */
        DRAINED_FIRST,
        /** Terminated seen, the drain runs: heartbeats are due. */
        DRAINING,
        /** The completion was tried (it is never tried twice, whether or not Auto Scaling took it). */
        COMPLETED
    }

    private final FleetContext fleet;
    private final LifecycleHook hook;
    private final WorkerControl control;
    private final Clock clock;
    private final Object lock = new Object();
    // guarded by lock
    private Stage stage = Stage.WATCHING;
    private Instant nextHeartbeat;

    /** Call {@link #drainEnded} from the worker's after-drain step: it must be registered before any drain can end. */
    LifecycleAction(FleetContext fleet, LifecycleHook hook, WorkerControl control, Clock clock) {
        this.fleet = fleet;
        this.hook = hook;
        this.control = control;
        this.clock = clock;
    }

    /** The target lifecycle state said Terminated: drains, and completes at once if a drain is already over. */
    void begin() {
        boolean drainedFirst;
        synchronized (lock) {
            if (begun()) {
                return;
            }
            drainedFirst = stage == Stage.DRAINED_FIRST;
            stage = Stage.DRAINING;
            Duration every = hook.heartbeatInterval();
            Duration first = every.compareTo(FIRST_HEARTBEAT_AFTER) < 0 ? every : FIRST_HEARTBEAT_AFTER;
            nextHeartbeat = clock.instant().plus(first);
        }
        log.info("target lifecycle state Terminated: draining within {}, then completing lifecycle hook {}",
                Durations.format(hook.drainTimeout()), hook.name());
        control.drain("lifecycle Terminated", hook.drainTimeout(), ExitCodes.OK);
        if (drainedFirst) {
            synchronized (lock) {
                // That drain's after-drain step has run, before Terminated was seen: no one else will complete.
                complete(null);
            }
        }
    }

    /** The worker's after-drain step, on its drain thread: jobs are done or released, deletes flushed. */
    void drainEnded(DrainReport report) {
        synchronized (lock) {
            if (stage == Stage.WATCHING) {
                stage = Stage.DRAINED_FIRST;
            } else {
                complete(report);
            }
        }
    }

    /** True once Terminated was seen: the target lifecycle state has nothing more to say. */
    boolean begun() {
        synchronized (lock) {
            return stage == Stage.DRAINING || stage == Stage.COMPLETED;
        }
    }

    /** When the next heartbeat is due; empty when none will be (not begun, or completed). */
    Optional<Instant> nextHeartbeat() {
        synchronized (lock) {
            return stage == Stage.DRAINING ? Optional.of(nextHeartbeat) : Optional.empty();
        }
    }

    void heartbeatIfDue() {
        synchronized (lock) {
            if (stage != Stage.DRAINING || clock.instant().isBefore(nextHeartbeat)) {
                return;
            }
            nextHeartbeat = clock.instant().plus(hook.heartbeatInterval());
            Optional<String> group = fleet.requireGroupName();
            if (group.isEmpty()) {
                log.error("cannot send RecordLifecycleActionHeartbeat: the Auto Scaling group is unknown (set WORKER_ASG_NAME)");
                return;
            }
            try {
                fleet.autoScaling().recordLifecycleActionHeartbeat(hook.name(), group.get(), instanceId());
                log.info("lifecycle action heartbeat sent ({} job(s) in flight)", control.inflight());
            } catch (RuntimeException e) {
                log.warn("RecordLifecycleActionHeartbeat failed: {}", ImdsInstanceMetadata.oneLine(e.getMessage()));
            }
        }
    }

    /** Under the lock. Does nothing unless draining after Terminated, so the action is completed at most once. */
    private void complete(DrainReport report) {
        if (stage != Stage.DRAINING) {
            return;
        }
        stage = Stage.COMPLETED;
        Optional<String> group = fleet.requireGroupName();
        if (group.isEmpty()) {
            log.error("cannot complete lifecycle action: the Auto Scaling group is unknown (set WORKER_ASG_NAME); the "
                    + "hook's DefaultResult applies when its heartbeat timeout ends");
            return;
        }
        String instanceId = instanceId();
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

    /** Terminated is only read once the instance id is known, and the context keeps it for the life of the process. */
    private String instanceId() {
        return fleet.instanceId().orElseThrow();
    }
}
