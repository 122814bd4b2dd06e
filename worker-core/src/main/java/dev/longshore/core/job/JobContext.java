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
