package dev.longshore.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The Auto Scaling lifecycle hook this worker completes at scale-in, with the timings of its handling (README:
 * Configuration, WORKER_LIFECYCLE_*): present only when WORKER_LIFECYCLE_HOOK_NAME is set, so the watcher gets the
 * hook and its timings as one validated value.
 *
 * @param name              WORKER_LIFECYCLE_HOOK_NAME
 * @param drainTimeout      WORKER_LIFECYCLE_DRAIN_TIMEOUT: how long running jobs may finish once Terminated is seen
 * @param pollInterval      WORKER_LIFECYCLE_POLL_INTERVAL: how often target-lifecycle-state is read
 * @param heartbeatInterval WORKER_LIFECYCLE_HEARTBEAT_INTERVAL: RecordLifecycleActionHeartbeat while jobs run
 */
public record LifecycleHook(String name, Duration drainTimeout, Duration pollInterval, Duration heartbeatInterval) {
    public LifecycleHook {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        requirePositive(pollInterval, "pollInterval");
        requirePositive(heartbeatInterval, "heartbeatInterval");
    }

    private static void requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
    }
}
