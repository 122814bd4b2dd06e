package dev.longshore.ai;

import dev.longshore.ai.gpu.GpuRequirements;
import dev.longshore.ai.gpu.TopologyWatcher;
import dev.longshore.ai.runner.InputSettings;
import dev.longshore.core.config.ConfigException;
import dev.longshore.core.config.Durations;
import dev.longshore.core.config.Env;
import dev.longshore.core.process.Signal;
import dev.longshore.core.storage.S3Address;
import dev.longshore.core.storage.S3Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The AI worker's own settings (README: Configuration, Security; docs/ai.md), read once and validated.
 *
 * @param outputPrefix WORKER_AI_OUTPUT_PREFIX: where a finished job's files go, under {@code <jobId>/}; empty keeps
 *                     them on local disk (docs/ai.md: Outputs on S3)
 * @param s3           how S3 is reached (WORKER_AI_S3_*, AWS_ENDPOINT_URL_S3, AWS_REGION); used only with a prefix
 */
public record AiConfig(boolean gpuRequired, GpuRequirements requirements, boolean topologyWatch,
                       Duration topologyInterval, Duration topologyCooldown, int failureThreshold,
                       Optional<String> nvmlLibrary, Optional<Path> tasksFile, Path jobsDir,
                       Optional<String> resultQueueUrl, Optional<Signal> drainSignal,
                       Optional<Duration> jobRetention, InputSettings inputs, Optional<S3Address.Plain> outputPrefix,
                       S3Settings s3) {
    public static final String OUTPUT_PREFIX_VARIABLE = "WORKER_AI_OUTPUT_PREFIX";
    /** WORKER_AI_S3_PATH_STYLE, _EXPECTED_OWNER, _MULTIPART_THRESHOLD, _PART_SIZE (docs/ai.md: Outputs on S3). */
    public static final String S3_VARIABLE_PREFIX = "WORKER_AI_S3";
    /**
     * S3 keys are at most 1024 bytes; under the prefix come the job id (at most 128) and the file's path in the job
     * directory, which the task chooses: leave it most of the room.
     */
    private static final int MAX_OUTPUT_PREFIX_BYTES = 512;
    private static final String OUTPUT_PREFIX_FORM = "an S3 prefix such as s3://results/ai/ (a bucket name, then an "
            + "optional key prefix without '.' or '..' segments)";
    /**
     * No signal by default: a task that does not handle one would die of it, and a running job may finish within
     * the drain budget (README "Signals, states and exit codes"). Tasks that checkpoint opt in.
     */
    public static final String DEFAULT_DRAIN_SIGNAL = "none";
    private static final String DRAIN_SIGNALS = "none, TERM, INT, HUP, USR1 or USR2";

    public static final long DEFAULT_MIN_FREE_MEMORY = 0;
    /** Data-centre GPUs throttle from about 85-90°C; a job started hotter than this runs slowly or fails. */
    public static final int DEFAULT_MAX_TEMPERATURE = 85;
    /**
     * A day: long enough to look at a failed job's logs and outputs the morning after, short enough that a busy
     * worker's disk does not fill with finished jobs (docs/ai.md: Job directory).
     */
    public static final Duration DEFAULT_JOB_RETENTION = Duration.ofHours(24);
    private static final String JOB_RETENTION_FORM = "off or " + Durations.FORM + " (at least 1m)";
    public static final Path DEFAULT_JOBS_DIR = Path.of(System.getProperty("java.io.tmpdir"), "longshore-ai-jobs");

    public static AiConfig from(Env env) {
        boolean gpuRequired = env.bool("WORKER_GPU_REQUIRED", true);
        long minFree = env.size("WORKER_GPU_MIN_FREE_MEMORY", DEFAULT_MIN_FREE_MEMORY);
        int maxTemp = env.positiveInt("WORKER_GPU_MAX_TEMPERATURE", DEFAULT_MAX_TEMPERATURE, 150);
        boolean watch = env.bool("WORKER_GPU_TOPOLOGY_WATCH", true);
        Duration interval = env.duration("WORKER_GPU_TOPOLOGY_INTERVAL", TopologyWatcher.DEFAULT_INTERVAL,
                Duration.ofMillis(100), Duration.ofHours(1));
        Duration cooldown = env.duration("WORKER_GPU_TOPOLOGY_COOLDOWN", TopologyWatcher.DEFAULT_COOLDOWN,
                Duration.ZERO, Duration.ofHours(24));
        int threshold = env.positiveInt("WORKER_GPU_FAILURE_THRESHOLD", TopologyWatcher.DEFAULT_FAILURE_THRESHOLD,
                1000);
        Optional<String> library = env.string("WORKER_NVML_LIBRARY");
        Optional<Path> tasks = env.string("WORKER_AI_TASKS").map(Path::of);
        Path jobs = env.string("WORKER_JOBS_DIR").map(Path::of).orElse(DEFAULT_JOBS_DIR);
        Optional<String> results = env.string("WORKER_RESULT_QUEUE_URL");
        results.ifPresent(url -> {
            if (!(url.startsWith("https://") || url.startsWith("http://"))) {
                throw ConfigException.invalid("WORKER_RESULT_QUEUE_URL", url,
                        "an http(s) SQS queue URL such as https://sqs.us-east-1.amazonaws.com/123456789012/results");
            }
        });
        String drain = env.string("WORKER_AI_DRAIN_SIGNAL", DEFAULT_DRAIN_SIGNAL);
        Optional<Signal> drainSignal = drain.strip().equalsIgnoreCase("none") ? Optional.empty()
                : Optional.of(Signal.parse(drain).filter(sig -> sig != Signal.KILL).orElseThrow(() ->
                        ConfigException.invalid("WORKER_AI_DRAIN_SIGNAL", drain, DRAIN_SIGNALS)));
        String retention = env.string("WORKER_AI_JOB_RETENTION", Durations.format(DEFAULT_JOB_RETENTION)).strip();
        Optional<Duration> jobRetention = retention.equalsIgnoreCase("off") ? Optional.empty()
                : Optional.of(Durations.parse(retention).filter(d -> d.compareTo(Duration.ofMinutes(1)) >= 0)
                        .orElseThrow(() -> ConfigException.invalid("WORKER_AI_JOB_RETENTION", retention,
                                JOB_RETENTION_FORM)));
        // No bucket allow list: the only bucket written is the operator's own prefix, never one a message names.
        S3Settings s3 = S3Settings.forOperatorBuckets(env, S3_VARIABLE_PREFIX);
        return new AiConfig(gpuRequired, new GpuRequirements(minFree, maxTemp), watch, interval, cooldown, threshold,
                library, tasks, jobs, results, drainSignal, jobRetention, InputSettings.from(env), outputPrefix(env),
                s3);
    }

    /** {@code s3://bucket/prefix/}: the key prefix always ends with '/' (or is empty, the bucket's root). */
    static Optional<S3Address.Plain> outputPrefix(Env env) {
        return env.string(OUTPUT_PREFIX_VARIABLE).map(String::strip).map(raw -> {
            if (!raw.startsWith("s3://")) {
                throw ConfigException.invalid(OUTPUT_PREFIX_VARIABLE, raw, OUTPUT_PREFIX_FORM);
            }
            String rest = raw.substring("s3://".length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String key = slash < 0 ? "" : rest.substring(slash + 1);
            if (!S3Settings.BUCKET.matcher(bucket).matches()) {
                throw ConfigException.invalid(OUTPUT_PREFIX_VARIABLE, raw, OUTPUT_PREFIX_FORM);
            }
            if (!key.isEmpty() && !key.endsWith("/")) {
                key = key + "/";
            }
            boolean emptySegment = key.startsWith("/") || key.contains("//");
            for (String segment : key.split("/")) {
                if (emptySegment || segment.equals(".") || segment.equals("..")) {
                    throw ConfigException.invalid(OUTPUT_PREFIX_VARIABLE, raw, OUTPUT_PREFIX_FORM);
                }
            }
            if (key.getBytes(StandardCharsets.UTF_8).length > MAX_OUTPUT_PREFIX_BYTES) {
                throw ConfigException.invalid(OUTPUT_PREFIX_VARIABLE, raw, "an S3 prefix of at most "
                        + MAX_OUTPUT_PREFIX_BYTES + " bytes after the bucket");
            }
            return S3Address.of(bucket, key);
        });
    }

    /** For the start-up log line. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gpuRequired", gpuRequired);
        if (gpuRequired) {
            m.put("gpuMinFreeMemory", requirements.minFreeMemory());
            m.put("gpuMaxTemperature", requirements.maxTemperature());
            m.put("topologyWatch", topologyWatch);
            m.put("topologyInterval", Durations.format(topologyInterval));
            m.put("topologyCooldown", Durations.format(topologyCooldown));
            m.put("failureThreshold", failureThreshold);
            m.put("nvmlLibrary", nvmlLibrary.orElse("libnvidia-ml.so.1 (system loader)"));
        }
        m.put("tasks", tasksFile.map(Path::toString).orElse("none"));
        m.put("jobsDir", jobsDir.toString());
        m.put("resultQueue", resultQueueUrl.orElse("off"));
        m.put("drainSignal", drainSignal.map(Signal::name).orElse("none"));
        m.put("maxInputSize", inputs.maxBytes());
        m.put("fileRoots", inputs.fileRoots().describe());
        m.put("jobRetention", jobRetention.map(Durations::format).orElse("off"));
        m.put("outputPrefix", outputPrefix.map(S3Address::display).orElse("off (outputs stay in the job directory)"));
        outputPrefix.ifPresent(p -> {
            m.put("s3Endpoint", s3.endpoint().map(Object::toString).orElse("AWS"));
            m.put("s3PathStyle", s3.pathStyle());
            m.put("s3ExpectedOwner", s3.expectedOwner().orElse("unset"));
        });
        return m;
    }
}
