package dev.longshore.core.job;

/** The job can never succeed as sent (bad input, refused by the far end): it goes to the dead-letter queue. */
public final class PermanentFailure extends JobFailure {
    public PermanentFailure(String code, String reason) {
        super(code, reason, null);
    }

    public PermanentFailure(String code, String reason, Throwable cause) {
        super(code, reason, cause);
    }
}
