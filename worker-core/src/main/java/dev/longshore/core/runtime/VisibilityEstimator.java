package dev.longshore.core.runtime;

import dev.longshore.core.config.WorkerConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * The visibility timeouts a worker asks for (README: How a message is handled). An explicit setting is used as
 * given, on receive and by the heartbeat. Otherwise a receive asks for a short 30 s, so a message handed to a
 * poll that was then abandoned (drain, crash) comes back soon; once its job runs, the heartbeat extends it to
 * 3x the mean processing time observed so far (at least 30 s), so a worker whose jobs take minutes does not
 * pay a visibility extension call every few seconds.
 */
public final class VisibilityEstimator {
    public static final Duration MINIMUM_DERIVED = Duration.ofSeconds(30);
    static final int MAX_SECONDS = 43_200;
    /** Weight of a new observation: recent jobs matter more, one outlier does not dominate. */
    private static final double ALPHA = 0.1;

    private final Optional<Duration> explicit;
    private final int receiveDefaultSeconds;
    private double meanSeconds = -1;

    public VisibilityEstimator(Optional<Duration> explicit) {
        this(explicit, WorkerConfig.DEFAULT_RECEIVE_VISIBILITY);
    }

    /** @param receiveDefault asked for on receive when no explicit value is set (30 s in production) */
    public VisibilityEstimator(Optional<Duration> explicit, Duration receiveDefault) {
        this.explicit = explicit;
        this.receiveDefaultSeconds = (int) Math.max(1, Math.min(MAX_SECONDS, receiveDefault.toSeconds()));
    }

    public synchronized void observe(Duration processingTime) {
        double s = processingTime.toNanos() / 1e9;
        meanSeconds = meanSeconds < 0 ? s : meanSeconds + ALPHA * (s - meanSeconds);
    }

    /** The mean processing time observed so far (recent jobs weigh more); zero before the first job. */
    public synchronized Duration meanProcessingTime() {
        return meanSeconds < 0 ? Duration.ZERO : Duration.ofNanos((long) (meanSeconds * 1e9));
    }

    /** Visibility asked for on ReceiveMessage: the explicit value, else the short default. */
    public synchronized int receiveSeconds() {
        if (explicit.isPresent()) {
            return (int) Math.min(MAX_SECONDS, explicit.get().toSeconds());
        }
        return receiveDefaultSeconds;
    }

    /** Visibility the heartbeat keeps a held message at: the explicit value, else the derived one. */
    public synchronized int seconds() {
        if (explicit.isPresent()) {
            return (int) Math.min(MAX_SECONDS, explicit.get().toSeconds());
        }
        long derived = meanSeconds < 0 ? 0 : (long) Math.ceil(3 * meanSeconds);
        return (int) Math.min(MAX_SECONDS, Math.max(MINIMUM_DERIVED.toSeconds(), derived));
    }
}
