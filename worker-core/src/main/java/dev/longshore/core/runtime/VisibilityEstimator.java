package dev.longshore.core.runtime;

import java.time.Duration;
import java.util.Optional;

/**
 * The visibility timeout asked for on receive. An explicit setting is used as given; otherwise 3x the mean
 * processing time observed so far, at least 30 s, so a worker whose jobs take minutes does not pay a
 * visibility extension call every few seconds, and one whose jobs take milliseconds does not hide a message
 * for an hour after a crash.
 */
public final class VisibilityEstimator {
    public static final Duration MINIMUM_DERIVED = Duration.ofSeconds(30);
    static final int MAX_SECONDS = 43_200;
    /** Weight of a new observation: recent jobs matter more, one outlier does not dominate. */
    private static final double ALPHA = 0.1;

    private final Optional<Duration> explicit;
    private double meanSeconds = -1;

    public VisibilityEstimator(Optional<Duration> explicit) {
        this.explicit = explicit;
    }

    public synchronized void observe(Duration processingTime) {
        double s = processingTime.toNanos() / 1e9;
        meanSeconds = meanSeconds < 0 ? s : meanSeconds + ALPHA * (s - meanSeconds);
    }

    public synchronized int seconds() {
        if (explicit.isPresent()) {
            return (int) Math.min(MAX_SECONDS, explicit.get().toSeconds());
        }
        long derived = meanSeconds < 0 ? 0 : (long) Math.ceil(3 * meanSeconds);
        return (int) Math.min(MAX_SECONDS, Math.max(MINIMUM_DERIVED.toSeconds(), derived));
    }
}
