package dev.longshore.core.fleet;

/** Instance metadata did not answer (off EC2, hop limit too low in a container, throttled, or down). */
public final class MetadataUnavailableException extends Exception {
    public MetadataUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
