package dev.longshore.core.job;

import java.time.Duration;

/** What a running job may ask of the runtime. */
public interface JobContext {

    /** True once the drain deadline passed: the message has been (or is being) released for another worker. */
    boolean isCancelled();

    /**
     * Runs {@code action} when the job is cancelled (at once if it already is). Used to kill child
     * processes: cancellation also interrupts the job's thread, but a blocked child process does not notice.
     */
    void onCancel(Runnable action);

    /**
     * True once the worker is DRAINING (README "Signals, states and exit codes"): no new work is taken, and this
     * job may still finish within the drain budget. A job that ends because it was told to stop should be
     * released then (a {@link RetryableFailure} with {@code retryAfter} zero), not treated as failed.
     */
    default boolean isDraining() {
        return false;
    }

    /**
     * Runs {@code action} once when the worker starts draining (at once if it already is), e.g. to tell a child
     * process to checkpoint. Cancellation at the drain deadline comes later, through {@link #onCancel}.
     */
    default void onDrain(Runnable action) {
    }

    /** Reports progress in [0, 1] for logs and metrics; visibility is extended for as long as the job runs. */
    void progress(double fraction);

    /**
     * Asks for the message to stay invisible for at least {@code duration} from now (capped at SQS's 12 h
     * limit), beyond the automatic extension. Useful before a step known to be long.
     */
    void extendVisibility(Duration duration);

    /** The worker's name, the queue and this job's id, for handlers' own log lines. */
    String workerName();
}
