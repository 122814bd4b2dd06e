package dev.longshore.core.runtime;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Backoff for retryable failures as a pure function of the receive count (README "Configuration"):
 * d = min(max, base x 2^(receiveCount-1)), the delay drawn uniformly from [d/2, d]. The jitter spreads retries
 * of a failed batch so they do not hit a recovering peer at the same instant.
 */
public final class RetryPolicy {
    private final Backoff backoff;

    public RetryPolicy(Duration base, Duration max, DoubleSupplier random) {
        this.backoff = new Backoff(base, max, random);
    }

    /** The ceiling d for this attempt, before jitter. */
    public Duration ceiling(int receiveCount) {
        return backoff.ceiling(receiveCount);
    }

    /** The delay before the next attempt, in [d/2, d]. */
    public Duration delay(int receiveCount) {
        return backoff.delay(receiveCount);
    }

    /** The delay as an SQS visibility timeout: whole seconds, rounded up, within SQS's 12 h limit. */
    public int visibilitySeconds(int receiveCount) {
        long seconds = (delay(receiveCount).toMillis() + 999) / 1000;
        return (int) Math.min(seconds, 43_200);
    }
}
