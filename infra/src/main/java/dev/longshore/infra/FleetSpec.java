package dev.longshore.infra;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** Everything the stack is built from, read once from the CDK context and validated before any construct exists. */
public record FleetSpec(
        String stackName,
        String imageTag,
        String repositoryPrefix,
        String metricsNamespace,
        int logRetentionDays,
        Duration instanceWarmup,
        int maxAvailabilityZones,
        List<WorkerSpec> workers) {

    public static final String DEFAULT_STACK_NAME = "Longshore";
    public static final String DEFAULT_IMAGE_TAG = "latest";
    public static final String DEFAULT_REPOSITORY_PREFIX = "longshore";
    /** Contract default of WORKER_METRICS_NAMESPACE. */
    public static final String DEFAULT_METRICS_NAMESPACE = "Longshore";
    public static final int DEFAULT_LOG_RETENTION_DAYS = 30;
    /** Long enough for a new instance's JVM to take work before its (empty) metrics count toward the average. */
    public static final Duration DEFAULT_INSTANCE_WARMUP = Duration.ofSeconds(180);

    /** The fleet design: messaging always on, video and AI scale from zero. */
    public static final List<WorkerSpec.Defaults> DESIGN = List.of(
            new WorkerSpec.Defaults("messaging", 1, 10, "t4g.small", 16),
            new WorkerSpec.Defaults("video", 0, 20, "t4g.medium", 40),
            new WorkerSpec.Defaults("ai", 0, 10, "t4g.small", 20));

    /** CloudWatch Logs accepts only these retention periods. */
    private static final List<Integer> RETENTION_DAYS = List.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365,
            400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    private static final Pattern STACK_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,100}");
    private static final Pattern IMAGE_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern REPOSITORY_PREFIX = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_./#:-]{1,255}");

    public static FleetSpec read(Settings settings) {
        String stackName = settings.string("stackName", DEFAULT_STACK_NAME, STACK_NAME,
                "a CloudFormation stack name (letters, digits, hyphens; starting with a letter)");
        String tag = settings.string("imageTag", DEFAULT_IMAGE_TAG, IMAGE_TAG, "a container image tag");
        String prefix = settings.string("repositoryPrefix", DEFAULT_REPOSITORY_PREFIX, REPOSITORY_PREFIX,
                "an ECR repository namespace such as longshore");
        String namespace = settings.string("metricsNamespace", DEFAULT_METRICS_NAMESPACE, NAMESPACE,
                "a CloudWatch namespace such as Longshore");
        int retention = settings.integer("logRetentionDays", DEFAULT_LOG_RETENTION_DAYS, 1, 3653);
        if (!RETENTION_DAYS.contains(retention)) {
            throw Settings.invalid("logRetentionDays", Integer.toString(retention),
                    "one of CloudWatch Logs' retention periods " + RETENTION_DAYS);
        }
        Duration warmup = settings.duration("instanceWarmup", DEFAULT_INSTANCE_WARMUP, Duration.ZERO,
                Duration.ofHours(1));
        int azs = settings.integer("maxAzs", 2, 1, 6);
        List<WorkerSpec> workers = DESIGN.stream().map(d -> WorkerSpec.read(settings, d)).toList();
        if (workers.stream().noneMatch(WorkerSpec::enabled)) {
            throw new SettingsException("settings messaging.enabled, video.enabled and ai.enabled are all false: "
                    + "the stack would hold no worker");
        }
        return new FleetSpec(stackName, tag, prefix, namespace, retention, warmup, azs, workers);
    }

    public List<WorkerSpec> enabledWorkers() {
        return workers.stream().filter(WorkerSpec::enabled).toList();
    }

    /** The SSM parameter that holds a worker's .env text; scripts/put-env writes it under the same name. */
    public String envParameterName(WorkerSpec worker) {
        return "/" + stackName + "/" + worker.name() + "/env";
    }

    public String repositoryName(WorkerSpec worker) {
        return repositoryPrefix + "/" + worker.name();
    }

    public String logGroupName(WorkerSpec worker) {
        return "/longshore/" + stackName + "/" + worker.name();
    }

    public String autoScalingGroupName(WorkerSpec worker) {
        return stackName + "-" + worker.name();
    }
}
