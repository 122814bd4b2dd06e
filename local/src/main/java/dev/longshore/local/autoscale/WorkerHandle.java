package dev.longshore.local.autoscale;

import java.util.Optional;

/** One started worker as the fleet controller sees it: the process and the instance identity it runs under. */
public interface WorkerHandle extends AutoCloseable {
    /** The worker said it is READY (it receives). */
    boolean ready();

    boolean exited();

    /** The exit code; only meaningful once {@link #exited()}. */
    int exitCode();

    /** What Auto Scaling does on scale-in: opens the lifecycle action and sets target-lifecycle-state to Terminated. */
    void scaleIn();

    /** CONTINUE or ABANDON once the worker completed the lifecycle action. */
    Optional<String> lifecycleResult();

    /** When (fleet clock) the worker began draining and stopped taking jobs after a scale-in; NaN before. */
    double drainStartedAt();

    /** Jobs the worker has in flight now, or -1 when it cannot be read. */
    int inFlight();

    /** Last resort when a run times out: SIGTERM, then SIGKILL. Never used for scale-in. */
    void kill();

    /** Releases what the handle holds (its fake instance metadata server); the process must have ended. */
    @Override
    void close();
}
