package dev.longshore.core.fleet;

import dev.longshore.core.config.Env;
import java.time.Duration;

/**
 * The fleet settings that are this package's own design rather than the README's shared configuration (those live in
 * {@link dev.longshore.core.config.WorkerConfig}).
 *
 * @param scaleInProtection {@code WORKER_SCALE_IN_PROTECTION}: protect the instance from scale-in while busy
 * @param protectionIdle    {@code WORKER_SCALE_IN_PROTECTION_IDLE}: how long the worker must be idle before the
 *                          protection is lifted
 */
record FleetSettings(boolean scaleInProtection, Duration protectionIdle) {
    /**
     * A minute of idleness: queues that deliver a job every few seconds keep the instance protected, a queue that
     * went quiet frees it well before a scale-in policy's usual evaluation periods end.
     */
    static final Duration DEFAULT_PROTECTION_IDLE = Duration.ofSeconds(60);

    static FleetSettings from(Env env) {
        boolean protection = env.bool("WORKER_SCALE_IN_PROTECTION", false);
        Duration idle = env.duration("WORKER_SCALE_IN_PROTECTION_IDLE", DEFAULT_PROTECTION_IDLE, Duration.ZERO,
                Duration.ofHours(1));
        return new FleetSettings(protection, idle);
    }
}
