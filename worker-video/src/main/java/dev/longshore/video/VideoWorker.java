package dev.longshore.video;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longshore.core.AbstractWorkerDefinition;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.config.Env;
import dev.longshore.core.config.WorkerConfig;
import dev.longshore.core.metrics.Metrics;
import dev.longshore.core.process.ProcessSupervisor;
import dev.longshore.core.queue.QueueClient;
import dev.longshore.core.queue.ResultPublisher;
import dev.longshore.core.storage.S3Clients;
import dev.longshore.core.storage.S3ObjectStore;
import dev.longshore.core.storage.S3Settings;
import dev.longshore.video.config.Executables;
import dev.longshore.video.config.VideoSettings;
import dev.longshore.video.result.ResultSink;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The video worker: {@code video.transcode} jobs, one at a time by default because each uses every CPU given. */
public final class VideoWorker extends AbstractWorkerDefinition {
    private static final Logger log = LoggerFactory.getLogger(VideoWorker.class);
    /** A transcode already spreads over all CPUs (-threads); more concurrent jobs only share them. */
    public static final int DEFAULT_CONCURRENCY = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    public VideoWorker() {
        super("video", DEFAULT_CONCURRENCY);
    }

    @Override
    public WorkerPlugin create(WorkerConfig config, Metrics metrics, QueueClient queues) {
        Env env = config.env();
        VideoSettings settings = VideoSettings.fromEnv(env, config.concurrency(), Runtime.getRuntime().availableProcessors());
        // Fail at start, not on the first job: a build without libx264 or a wrong path would fail every message.
        // ffmpeg runs in its own process group, started through setsid (README "Signals, states and exit codes").
        ProcessSupervisor.requireSetsid();
        Executables.checkEncoders(settings.ffmpeg(), env.string(Executables.FFMPEG_VARIABLE, "ffmpeg"));
        ResultSink results = settings.resultQueueUrl().map(url -> resultSink(new ResultPublisher(queues, url)))
                .orElse(ResultSink.NONE);
        S3ObjectStore s3 = new S3ObjectStore(() -> S3Clients.create(settings.s3()), settings.s3());
        TranscodeHandler handler = new TranscodeHandler(settings, s3, results, new VideoMetrics(metrics), Clock.systemUTC(),
                config.privateDestinations());
        handler.removeScratchLeftovers();
        log.info("video worker settings {}", settings.describe());
        if (settings.s3().buckets().isEmpty()) {
            // Unset keeps earlier deployments working; the credentials' policy is then the only bucket boundary.
            log.warn("{} is unset: a message may name any S3 bucket the worker's credentials reach; set it in production"
                    + " (docs/video.md: \"Settings\")", settings.s3().bucketsVariable());
        }
        return WorkerPlugin.of(handler);
    }

    /** Results go through the worker's own queue client (docs/video.md, "Result messages"). */
    private static ResultSink resultSink(ResultPublisher publisher) {
        return (jobId, result) -> publisher.publish(jobId, result.path("status").asText("ended"),
                JSON.writeValueAsString(result));
    }
}
