package dev.longshore.core.job;

import java.util.Set;

/**
 * The one piece of code a worker supplies: what to do with a job of the types it declares.
 *
 * <p>Returning normally means success and the message is deleted. Throwing {@link PermanentFailure} sends
 * the message to the dead-letter queue; {@link RetryableFailure} or any other exception retries it with
 * backoff. A handler may be called concurrently and must tolerate a job delivered twice.
 */
public interface JobHandler extends AutoCloseable {

    /** The message types this handler accepts; a message of any other type is a permanent failure. */
    Set<String> types();

    void handle(Job job, JobContext context) throws Exception;

    /** Releases what the handler holds; called once after the last job ended. */
    @Override
    default void close() {
    }

    /** A handler for the one message {@code type} that runs {@code work} for each job and holds nothing. */
    static JobHandler of(String type, Work work) {
        return new SingleTypeHandler(type, work);
    }

    /** What a handler does with one job, as {@link #handle(Job, JobContext)}. */
    @FunctionalInterface
    interface Work {
        void handle(Job job, JobContext context) throws Exception;
    }
}
