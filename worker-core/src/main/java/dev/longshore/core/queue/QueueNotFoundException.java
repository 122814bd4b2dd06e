package dev.longshore.core.queue;

/** The queue named in the configuration does not exist (at start-up this is a configuration error). */
public final class QueueNotFoundException extends QueueUnavailableException {
    public QueueNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
