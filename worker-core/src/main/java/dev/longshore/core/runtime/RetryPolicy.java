package dev.longshore.core.runtime;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Backoff for retryable failures as a pure function of the receive count (contract section 2):
 * d = min(max, base x 2^(receiveCount-1)), the delay drawn uniformly from [d/2, d]. The jitter spreads retries
 * of a failed batch so they do not hit a recovering peer at the same instant.
 */
public final class RetryPolicy {
    private final Duration base;
    private final Duration max;
    private final DoubleSupplier random;

    public RetryPolicy(Duration base, Duration max, DoubleSupplier random) {
        this.base = Objects.requireNonNull(base);
        this.max = Objects.requireNonNull(max);
        this.random = Objects.requireNonNull(random);
    }

    /** The ceiling d for this attempt, before jitter. */
    public Duration ceiling(int receiveCount) {
        int exponent = Math.max(0, receiveCount - 1);
        if (exponent >= 62 || base.isZero()) {
            return base.isZero() ? Duration.ZERO : max;
        }
        long millis = base.toMillis();
        long scaled = millis << exponent;
        if (scaled >>> exponent != millis || scaled < 0) {
            return max;
        }
        Duration d = Duration.ofMillis(scaled);
        return d.compareTo(max) > 0 ? max : d;
    }

    /** The delay before the next attempt, in [d/2, d]. */
    public Duration delay(int receiveCount) {
        long ceiling = ceiling(receiveCount).toMillis();
        long half = ceiling / 2;
        double r = random.getAsDouble();
        return Duration.ofMillis(half + Math.round((ceiling - half) * Math.min(1.0, Math.max(0.0, r))));
    }

    /** The delay as an SQS visibility timeout: whole seconds, rounded up, within SQS's 12 h limit. */
    public int visibilitySeconds(int receiveCount) {
        long seconds = (delay(receiveCount).toMillis() + 999) / 1000;
        return (int) Math.min(seconds, 43_200);
    }
}
