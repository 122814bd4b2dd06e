package dev.longshore.video.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longshore.core.config.Env;
import dev.longshore.core.metrics.Metrics;
import dev.longshore.core.storage.S3ObjectStore;
import dev.longshore.video.TranscodeHandler;
import dev.longshore.video.VideoMetrics;
import dev.longshore.video.config.VideoSettings;
import dev.longshore.video.result.ResultSink;
import dev.longshore.video.testing.Jobs;
import dev.longshore.testkit.FakeJobContext;
import dev.longshore.video.testing.TestClips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Run by hand, not a test: transcodes a generated 10 s 1080p clip (testsrc2 + sine) to the default ladder with
 * the worker's default settings and prints wall time and CPU time. ffmpeg's CPU is read from this JVM's
 * reaped-children counters in /proc/self/stat (cutime + cstime), so it counts every ffmpeg/ffprobe the job ran.
 *
 * <pre>java -cp target/test-classes:target/classes:$(deps) dev.longshore.video.tools.TranscodeBenchmark [runs]</pre>
 */
public final class TranscodeBenchmark {
    private static final double CLOCK_TICKS_PER_SECOND = 100.0;

    private TranscodeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        Path input = TestClips.clip(1920, 1080, 10, true);
        Path root = Files.createTempDirectory("video-benchmark");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("WORKER_WORK_DIR", root.resolve("work").toString());
        VideoSettings settings = VideoSettings.fromEnv(new Env(env), 1, Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "input %s, %d CPUs available, -threads %d, preset %s, load average %s%n",
                input.getFileName(), Runtime.getRuntime().availableProcessors(), settings.threads(), settings.preset(),
                Files.readString(Path.of("/proc/loadavg")).strip());
        try (TranscodeHandler handler = new TranscodeHandler(settings, new S3ObjectStore(() -> null, settings.s3()),
                ResultSink.NONE, new VideoMetrics(new Metrics()), Clock.systemUTC())) {
            for (int run = 1; run <= runs; run++) {
                Path out = root.resolve("out-" + run);
                double childCpuBefore = childCpuSeconds();
                long start = System.nanoTime();
                handler.handle(Jobs.transcode("bench-" + run, "{\"input\":\"" + input.toUri() + "\",\"output\":\""
                        + out.toUri() + "\"}"), new FakeJobContext());
                double wall = (System.nanoTime() - start) / 1e9;
                double cpu = childCpuSeconds() - childCpuBefore;
                JsonNode manifest = Jobs.JSON.readTree(out.resolve("manifest.json").toFile());
                System.out.printf(Locale.ROOT, "run %d: wall %.2f s, ffmpeg+ffprobe CPU %.2f s (%.2f cores busy), "
                                + "renditions %s, %d bytes%n", run, wall, cpu, cpu / wall,
                        manifest.path("renditions").findValuesAsText("name"), manifest.path("totalSizeBytes").asLong());
            }
        }
    }

    /** utime + stime of this process's waited-for children, from /proc/self/stat fields 16 and 17. */
    private static double childCpuSeconds() throws Exception {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // f[0] is field 3 (state); cutime is field 16, cstime field 17.
        return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / CLOCK_TICKS_PER_SECOND;
    }
}
