package dev.longshore.core.job;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The job may succeed later (timeouts, throttling, a peer that is down): the message becomes visible again
 * after the retry backoff, or after {@link #retryAfter()} when the far end said how long to wait.
 */
public final class RetryableFailure extends JobFailure {
    private final Duration retryAfter;

    public RetryableFailure(String code, String reason) {
        this(code, reason, null, null);
    }

    public RetryableFailure(String code, String reason, Throwable cause) {
        this(code, reason, null, cause);
    }

    public RetryableFailure(String code, String reason, Duration retryAfter, Throwable cause) {
        super(code, reason, cause);
        if (retryAfter != null && retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
        }
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Wraps an exception a handler did not classify: treated as retryable, since it may be transient. */
    public static RetryableFailure fromUnexpected(Throwable unexpected) {
        Objects.requireNonNull(unexpected);
        String reason = unexpected.getClass().getSimpleName()
                + (unexpected.getMessage() == null ? "" : ": " + unexpected.getMessage());
        return new RetryableFailure("handler_error", reason, unexpected);
    }
}
