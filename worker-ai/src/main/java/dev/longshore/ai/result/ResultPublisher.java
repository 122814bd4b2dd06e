package dev.longshore.ai.result;

/** Sends a job's result somewhere (WORKER_RESULT_QUEUE_URL); {@link #NONE} where nothing listens. */
public interface ResultPublisher extends AutoCloseable {
    ResultPublisher NONE = result -> { };

    /** @throws Exception when the result could not be delivered (the caller decides whether to retry) */
    void publish(JobResult result) throws Exception;

    @Override
    default void close() {
    }
}
