package dev.longshore.core.runtime;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff as a pure function of the attempt number: d = min(max, base x 2^(attempt-1)), the
 * delay drawn uniformly from [d/2, d] with the injected random source. The one doubling in the code base: the
 * retry policy for messages (README "Configuration", WORKER_RETRY_BASE_DELAY) and the internal waits after an
 * SQS or delete failure all call it.
 *
 * @param base   the ceiling of the first attempt
 * @param max    the ceiling no attempt passes
 * @param random values in [0, 1]; anything outside is clamped
 */
public record Backoff(Duration base, Duration max, DoubleSupplier random) {
    public Backoff {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(random, "random");
        if (base.isNegative() || max.isNegative()) {
            throw new IllegalArgumentException("backoff durations must not be negative: " + base + ", " + max);
        }
    }

    /** With the thread-local random source: for loops whose timing no test replays. */
    public static Backoff jittered(Duration base, Duration max) {
        return new Backoff(base, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** The ceiling d for this attempt (1 for the first; lower counts as 1), before jitter. */
    public Duration ceiling(int attempt) {
        int exponent = Math.max(0, attempt - 1);
        if (base.isZero()) {
            return Duration.ZERO;
        }
        if (exponent >= 62) {
            return max;
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
    public Duration delay(int attempt) {
        long ceiling = ceiling(attempt).toMillis();
        long half = ceiling / 2;
        double r = Math.min(1.0, Math.max(0.0, random.getAsDouble()));
        return Duration.ofMillis(half + Math.round((ceiling - half) * r));
    }
}
