package dev.longshore.video;

import dev.longshore.core.metrics.Counter;
import dev.longshore.core.metrics.Metrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The video worker's own metrics, next to the core's in /metrics. */
public final class VideoMetrics {
    private final Map<String, Double> running = new ConcurrentHashMap<>();
    final Counter stalls;
    final Counter alreadyPublished;
    final Counter mediaSeconds;
    final Counter encodeSeconds;

    public VideoMetrics(Metrics metrics) {
        metrics.gauge("longshore_video_progress_ratio",
                "Progress of the running transcodes, 0 to 1 (their mean; 0 when none runs).", this::meanProgress);
        metrics.gauge("longshore_video_transcodes_running", "Transcodes running now.", running::size);
        stalls = metrics.counter("longshore_video_stalls_total");
        alreadyPublished = metrics.counter("longshore_video_already_published_total");
        mediaSeconds = metrics.counter("longshore_video_media_seconds_total");
        encodeSeconds = metrics.counter("longshore_video_encode_seconds_total");
    }

    void progress(String key, double fraction) {
        running.put(key, fraction);
    }

    void finished(String key) {
        running.remove(key);
    }

    double meanProgress() {
        return running.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }
}
