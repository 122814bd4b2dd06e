package dev.longshore.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.metrics.Metrics;
import dev.longshore.video.ffmpeg.Progress;
import dev.longshore.testkit.FakeJobContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {
    private final Metrics metrics = new Metrics();
    private final VideoMetrics video = new VideoMetrics(metrics);
    private final FakeJobContext ctx = new FakeJobContext();
    private final ProgressReporter reporter = new ProgressReporter("job-1/m1", 10_000_000, ctx, video);

    private static Progress at(long micros) {
        return new Progress(micros / 40_000, micros, 2.0, false);
    }

    @Test
    void mediaTimeBecomesAPercentageForTheContextAndTheGauge() {
        reporter.report(at(2_500_000));
        assertEquals(List.of(0.25), ctx.progress());
        assertTrue(metrics.prometheusText().contains("longshore_video_progress_ratio 0.25"), metrics.prometheusText());
        assertTrue(metrics.prometheusText().contains("longshore_video_transcodes_running 1.0"));
        reporter.report(at(5_000_000));
        reporter.report(at(10_000_000));
        assertEquals(List.of(0.25, 0.5, 1.0), ctx.progress());
    }

    @Test
    void progressNeverGoesBackwards() {
        reporter.report(at(5_000_000));
        reporter.report(at(4_000_000));
        reporter.report(new Progress(10, -1, -1, false));
        assertEquals(List.of(0.5), ctx.progress());
        assertEquals(0.5, reporter.best());
    }

    @Test
    void gaugeAveragesConcurrentTranscodesAndForgetsFinishedOnes() {
        ProgressReporter other = new ProgressReporter("job-2/m2", 10_000_000, new FakeJobContext(), video);
        reporter.report(at(2_000_000));
        other.report(at(6_000_000));
        assertEquals(0.4, video.meanProgress(), 1e-9);
        video.finished("job-1/m1");
        assertEquals(0.6, video.meanProgress(), 1e-9);
        video.finished("job-2/m2");
        assertEquals(0.0, video.meanProgress());
    }
}
