package dev.longshore.core.fleet;

/** Instance metadata did not answer (off EC2, hop limit too low in a container), or answered with an error. */
public final class MetadataUnavailableException extends Exception {
    private final boolean answered;

    public MetadataUnavailableException(String message, Throwable cause, boolean answered) {
        super(message, cause);
        this.answered = answered;
    }

    /**
     * True when the service answered with an HTTP error (throttled, restarting): this is EC2 and a later try
     * may work. False when nothing answered at all.
     */
    public boolean answered() {
        return answered;
    }
}
