package dev.longshore.video.testing;

import dev.longshore.core.config.Env;
import dev.longshore.core.metrics.Metrics;
import dev.longshore.core.storage.S3ObjectStore;
import dev.longshore.video.TranscodeHandler;
import dev.longshore.video.VideoMetrics;
import dev.longshore.video.config.VideoSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Handlers for tests: file in and out, two ffmpeg threads, settings given as variable/value pairs. */
public final class Handlers {
    private Handlers() {
    }

    public static TranscodeHandler handler(Path tmp, RecordingResultSink results, String... kv) {
        return handler(tmp, results, null, kv);
    }

    public static TranscodeHandler handler(Path tmp, RecordingResultSink results, S3ObjectStore s3, String... kv) {
        return new TranscodeHandler(settings(tmp, kv), s3 != null ? s3 : noS3(settings(tmp, kv)), results,
                new VideoMetrics(new Metrics()), Clock.systemUTC());
    }

    public static VideoSettings settings(Path tmp, String... kv) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv("PATH"));
        env.put("WORKER_WORK_DIR", tmp.resolve("work").toString());
        env.put("WORKER_VIDEO_THREADS", "2");
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return VideoSettings.fromEnv(new Env(env), 1, 2);
    }

    /** A store that fails the test if it is used: for jobs whose input and output are files. */
    public static S3ObjectStore noS3(VideoSettings settings) {
        return new S3ObjectStore(() -> {
            throw new AssertionError("no S3 in this test");
        }, settings.s3());
    }

    /** The JSON payload for a file:// input and output, with extra fields (e.g. {@code "thumbnail":true}). */
    public static String payload(Path input, Path output, String extraFields) {
        return "{\"input\":\"" + input.toUri() + "\",\"output\":\"" + output.toUri() + "\""
                + (extraFields.isEmpty() ? "" : "," + extraFields) + "}";
    }
}
