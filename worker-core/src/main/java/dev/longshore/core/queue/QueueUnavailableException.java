package dev.longshore.core.queue;

/** SQS could not be reached, or refused a call as a whole; the caller backs off and tries again. */
public class QueueUnavailableException extends RuntimeException {
    public QueueUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
