package dev.longshore.video.config;

import dev.longshore.core.config.ConfigException;
import dev.longshore.core.config.Durations;
import dev.longshore.core.config.Env;
import dev.longshore.core.storage.S3Settings;
import dev.longshore.video.storage.FileRoots;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The video worker's own settings, read once from the environment and validated (docs/video.md:
 * Settings; WORKER_FFMPEG and WORKER_WORK_DIR, the rest all named WORKER_VIDEO_*).
 *
 * @param ffmpeg             WORKER_FFMPEG resolved to an executable
 * @param ffprobe            WORKER_FFPROBE, or the ffprobe next to ffmpeg, or on PATH
 * @param workDir            WORKER_WORK_DIR: scratch space, one sub-directory per running job
 * @param stallTimeout       a transcode whose progress does not advance for this long is killed and retried
 * @param maxMediaDuration   longer inputs are refused at probe time (permanent failure)
 * @param maxRuntime         a transcode running longer than this is killed (permanent failure)
 * @param probeTimeout       ffprobe gets this long to read the input's headers
 * @param threads            ffmpeg -threads: the container's CPU allowance shared by the concurrent jobs
 * @param preset             x264 preset
 * @param segmentSeconds     HLS segment length when the payload does not say
 * @param maxInputBytes      downloads larger than this are refused (permanent failure)
 * @param httpTimeout        stall timeout of http(s) inputs: no byte for this long fails the download (the
 *                           whole download is bounded by maxRuntime; README: Security)
 * @param s3                 how to reach S3 or an S3-compatible store
 * @param resultQueueUrl     WORKER_RESULT_QUEUE_URL: where a result message goes when a job ends
 * @param fileRoots          WORKER_VIDEO_FILE_ROOTS: where file:// inputs and outputs may be
 */
public record VideoSettings(Path ffmpeg, Path ffprobe, Path workDir, Duration stallTimeout, Duration maxMediaDuration,
                            Duration maxRuntime, Duration probeTimeout, int threads, String preset, int segmentSeconds,
                            long maxInputBytes, Duration httpTimeout, S3Settings s3,
                            Optional<String> resultQueueUrl, FileRoots fileRoots) {

    /** Long enough for a slow first frame of a 4K source on a busy host, short enough to free a wedged slot. */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration DEFAULT_MAX_MEDIA_DURATION = Duration.ofHours(4);
    /** Half of SQS's 12 h visibility ceiling, which bounds how long any message can be held. */
    public static final Duration DEFAULT_MAX_RUNTIME = Duration.ofHours(6);
    public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(60);
    public static final String DEFAULT_PRESET = "veryfast";
    /** Apple's HLS authoring guide recommends 6 s segments. */
    public static final int DEFAULT_SEGMENT_SECONDS = 6;
    public static final long DEFAULT_MAX_INPUT_BYTES = 50L << 30;
    public static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(30);
    static final Set<String> PRESETS = Set.of("ultrafast", "superfast", "veryfast", "faster", "fast", "medium",
            "slow", "slower", "veryslow");
    private static final int MAX_THREADS = 256;

    public VideoSettings {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
    }

    /**
     * Reads the settings.
     *
     * @param concurrency         WORKER_CONCURRENCY: the CPU allowance is shared between this many transcodes
     * @param availableProcessors the container's CPU allowance as the JVM sees it (cgroup quota or
     *                            -XX:ActiveProcessorCount), never the host's core count
     */
    public static VideoSettings fromEnv(Env env, int concurrency, int availableProcessors) {
        Path ffmpeg = Executables.ffmpeg(env);
        Path ffprobe = Executables.ffprobe(env, ffmpeg);
        Path workDir = workDir(env);
        Duration stall = env.duration("WORKER_VIDEO_STALL_TIMEOUT", DEFAULT_STALL_TIMEOUT,
                Duration.ofSeconds(1), Duration.ofHours(1));
        Duration maxMedia = env.duration("WORKER_VIDEO_MAX_DURATION", DEFAULT_MAX_MEDIA_DURATION,
                Duration.ofSeconds(1), Duration.ofHours(48));
        Duration maxRuntime = env.duration("WORKER_VIDEO_MAX_RUNTIME", DEFAULT_MAX_RUNTIME,
                Duration.ofSeconds(1), Duration.ofHours(12));
        Duration probe = env.duration("WORKER_VIDEO_PROBE_TIMEOUT", DEFAULT_PROBE_TIMEOUT,
                Duration.ofSeconds(1), Duration.ofMinutes(30));
        int threads = env.positiveInt("WORKER_VIDEO_THREADS",
                defaultThreads(availableProcessors, concurrency), MAX_THREADS);
        String preset = env.string("WORKER_VIDEO_PRESET", DEFAULT_PRESET);
        if (!PRESETS.contains(preset)) {
            throw ConfigException.invalid("WORKER_VIDEO_PRESET", preset,
                    "an x264 preset: ultrafast, superfast, veryfast, faster, fast, medium, slow, slower or veryslow");
        }
        int segment = env.positiveInt("WORKER_VIDEO_SEGMENT_SECONDS", DEFAULT_SEGMENT_SECONDS, 60);
        long maxInput = env.size("WORKER_VIDEO_MAX_INPUT_SIZE", DEFAULT_MAX_INPUT_BYTES);
        if (maxInput < 1) {
            throw ConfigException.invalid("WORKER_VIDEO_MAX_INPUT_SIZE", env.string("WORKER_VIDEO_MAX_INPUT_SIZE").orElse(""),
                    "a size of at least 1 byte, such as 20GiB");
        }
        Duration http = env.duration("WORKER_VIDEO_HTTP_TIMEOUT", DEFAULT_HTTP_TIMEOUT,
                Duration.ofSeconds(1), Duration.ofMinutes(30));
        Optional<String> resultQueue = env.string("WORKER_RESULT_QUEUE_URL");
        resultQueue.ifPresent(url -> {
            if (!(url.startsWith("https://") || url.startsWith("http://"))) {
                throw ConfigException.invalid("WORKER_RESULT_QUEUE_URL", url,
                        "an http(s) queue URL such as https://sqs.us-east-1.amazonaws.com/123456789012/results");
            }
        });
        return new VideoSettings(ffmpeg, ffprobe, workDir, stall, maxMedia, maxRuntime, probe, threads, preset, segment,
                maxInput, http, S3Settings.fromEnv(env, "WORKER_VIDEO_S3"), resultQueue,
                env.string(FileRoots.VARIABLE).map(FileRoots::parse).orElse(FileRoots.any()));
    }

    /**
     * One share of the CPU allowance per concurrent transcode: four CPUs and two jobs give each ffmpeg two
     * threads, so the encoders together never ask for more than the container has.
     */
    static int defaultThreads(int availableProcessors, int concurrency) {
        return Math.max(1, availableProcessors / Math.max(1, concurrency));
    }

    private static Path workDir(Env env) {
        String given = env.string("WORKER_WORK_DIR",
                Path.of(System.getProperty("java.io.tmpdir"), "longshore-video").toString());
        Path dir;
        try {
            dir = Path.of(given).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw ConfigException.invalid("WORKER_WORK_DIR", given, "a directory path");
        }
        // ffmpeg's HLS muxer expands % sequences in output names, so a literal % would corrupt every path.
        if (dir.toString().contains("%")) {
            throw ConfigException.invalid("WORKER_WORK_DIR", given, "a directory path without '%'");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw ConfigException.invalid("WORKER_WORK_DIR", given,
                    "a directory the worker can create and write (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        if (!Files.isWritable(dir)) {
            throw ConfigException.invalid("WORKER_WORK_DIR", given, "a directory the worker can write");
        }
        return dir;
    }

    /** For the one start-up log line; nothing here is secret. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ffmpeg", ffmpeg.toString());
        m.put("ffprobe", ffprobe.toString());
        m.put("workDir", workDir.toString());
        m.put("threads", threads);
        m.put("preset", preset);
        m.put("stallTimeout", Durations.format(stallTimeout));
        m.put("maxDuration", Durations.format(maxMediaDuration));
        m.put("maxRuntime", Durations.format(maxRuntime));
        m.put("segmentSeconds", segmentSeconds);
        m.put("s3Endpoint", s3.endpoint().map(URI::toString).orElse("default"));
        m.put("s3PathStyle", s3.pathStyle());
        m.put("s3Buckets", s3.buckets().isEmpty() ? "any" : String.join(",", new TreeSet<>(s3.buckets())));
        m.put("s3ExpectedOwner", s3.expectedOwner().orElse("unset"));
        m.put("resultQueue", resultQueueUrl.orElse("off"));
        m.put("fileRoots", fileRoots.restricted() ? fileRoots.roots().toString() : "any");
        return m;
    }
}
