package dev.longshore.video;

import dev.longshore.core.job.JobContext;
import dev.longshore.video.ffmpeg.Progress;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns ffmpeg progress blocks into a percentage: reported to the job context, the progress gauge, and the log
 * (one line per 10%, not one per block). Called from the process's reader thread only.
 */
final class ProgressReporter {
    private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);

    private final String key;
    private final long durationMicros;
    private final JobContext context;
    private final VideoMetrics metrics;
    private double best;
    private int loggedDecile;

    ProgressReporter(String key, long durationMicros, JobContext context, VideoMetrics metrics) {
        this.key = key;
        this.durationMicros = durationMicros;
        this.context = context;
        this.metrics = metrics;
    }

    void report(Progress p) {
        double fraction = p.fractionOf(durationMicros);
        if (fraction <= best) {
            return;
        }
        best = fraction;
        context.progress(best);
        metrics.progress(key, best);
        int decile = (int) Math.floor(best * 10);
        if (decile > loggedDecile) {
            loggedDecile = decile;
            log.info(String.format(Locale.ROOT, "transcode %d%% (media %.1fs of %.1fs, speed %s)", decile * 10,
                    p.outTimeMicros() / 1e6, durationMicros / 1e6, p.speed() < 0 ? "n/a" : p.speed() + "x"));
        }
    }

    double best() {
        return best;
    }
}
