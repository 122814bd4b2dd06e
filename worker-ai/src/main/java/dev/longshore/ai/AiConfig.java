package dev.longshore.ai;

import dev.longshore.ai.gpu.GpuRequirements;
import dev.longshore.ai.gpu.TopologyWatcher;
import dev.longshore.ai.runner.InputSettings;
import dev.longshore.core.config.ConfigException;
import dev.longshore.core.config.Durations;
import dev.longshore.core.config.Env;
import dev.longshore.core.process.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The AI worker's own settings (README: Configuration, Security; docs/ai.md), read once and validated. */
public record AiConfig(boolean gpuRequired, GpuRequirements requirements, boolean topologyWatch,
                       Duration topologyInterval, Duration topologyCooldown, int failureThreshold,
                       Optional<String> nvmlLibrary, Optional<Path> tasksFile, Path jobsDir,
                       Optional<String> resultQueueUrl, Optional<Signal> drainSignal,
                       Optional<Duration> jobRetention, InputSettings inputs) {
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
        return new AiConfig(gpuRequired, new GpuRequirements(minFree, maxTemp), watch, interval, cooldown, threshold,
                library, tasks, jobs, results, drainSignal, jobRetention, InputSettings.from(env));
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
        return m;
    }
}
