package dev.longshore.infra;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One worker's fleet: sizes, instance type, scaling target and the timeouts that the lifecycle hook and the
 * container's stop timeout are sized from. Read from context keys {@code <worker>.<setting>}.
 */
public record WorkerSpec(
        String name,
        boolean enabled,
        int minSize,
        int maxSize,
        String instanceType,
        boolean gpu,
        int backlogTarget,
        int maxReceiveCount,
        Duration drainTimeout,
        Duration lifecycleDrainTimeout,
        Duration healthCheckGracePeriod,
        Optional<Integer> rootVolumeGiB,
        Optional<String> amiParameter) {

    /** Contract default of WORKER_DRAIN_TIMEOUT. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    /** Contract default of WORKER_LIFECYCLE_DRAIN_TIMEOUT. */
    public static final Duration DEFAULT_LIFECYCLE_DRAIN_TIMEOUT = Duration.ofMinutes(15);
    /** Middle of the design's 15-25 messages per instance. */
    public static final int DEFAULT_BACKLOG_TARGET = 20;
    public static final int DEFAULT_MAX_RECEIVE_COUNT = 5;
    /** Boot, docker pull and JVM start fit in 5 minutes on a t4g.small; EC2 Auto Scaling allows more. */
    public static final Duration DEFAULT_HEALTH_CHECK_GRACE = Duration.ofSeconds(300);
    public static final Duration MAX_HEALTH_CHECK_GRACE = Duration.ofSeconds(600);
    /** A GPU type when the GPU flavour is asked for without naming one: one T4, the cheapest NVIDIA type. */
    public static final String DEFAULT_GPU_INSTANCE_TYPE = "g4dn.xlarge";
    /** Time the worker needs after its drain to release messages and exit, and docker to notice. */
    public static final Duration LIFECYCLE_MARGIN = Duration.ofMinutes(2);
    /** HeartbeatTimeout's upper bound (EC2 Auto Scaling). */
    public static final Duration MAX_HEARTBEAT_TIMEOUT = Duration.ofHours(2);
    /** HeartbeatTimeout's lower bound (EC2 Auto Scaling). */
    public static final Duration MIN_HEARTBEAT_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9]+");
    private static final Pattern GPU_FAMILY = Pattern.compile("(g|p|gr)\\d.*");
    private static final Pattern SSM_PARAMETER = Pattern.compile("/[A-Za-z0-9_./-]+");

    /** The design's defaults for one worker (issue 6 fleet table). */
    public record Defaults(String name, int minSize, int maxSize, String instanceType, int rootVolumeGiB) {
    }

    public static WorkerSpec read(Settings settings, Defaults defaults) {
        String n = defaults.name();
        boolean enabled = settings.bool(n + ".enabled", true);
        int min = settings.integer(n + ".min", defaults.minSize(), 0, 1000);
        int max = settings.integer(n + ".max", defaults.maxSize(), 1, 1000);
        if (min > max) {
            throw new SettingsException("settings " + n + ".min=" + min + " and " + n + ".max=" + max
                    + " are invalid: min must not be above max");
        }
        boolean gpu = settings.bool(n + ".gpu", false);
        String instanceType = settings.string(n + ".instanceType",
                gpu ? DEFAULT_GPU_INSTANCE_TYPE : defaults.instanceType(), INSTANCE_TYPE,
                "an EC2 instance type such as t4g.small");
        if (gpu && !GPU_FAMILY.matcher(instanceType).matches()) {
            throw new SettingsException("settings " + n + ".gpu=true and " + n + ".instanceType=" + instanceType
                    + " are invalid: the GPU flavour needs an NVIDIA GPU instance type (g4dn, g5, g6, p4d, ...)");
        }
        int target = settings.integer(n + ".backlogTarget", DEFAULT_BACKLOG_TARGET, 1, 100_000);
        int maxReceive = settings.integer(n + ".maxReceiveCount", DEFAULT_MAX_RECEIVE_COUNT, 1, 1000);
        Duration drain = settings.duration(n + ".drainTimeout", DEFAULT_DRAIN_TIMEOUT,
                Duration.ZERO, Duration.ofHours(1));
        Duration lifecycleDrain = settings.duration(n + ".lifecycleDrainTimeout", DEFAULT_LIFECYCLE_DRAIN_TIMEOUT,
                Duration.ofSeconds(10), Duration.ofHours(48));
        Duration grace = settings.duration(n + ".healthCheckGracePeriod", DEFAULT_HEALTH_CHECK_GRACE,
                Duration.ZERO, MAX_HEALTH_CHECK_GRACE);
        Optional<Integer> volume = settings.optional(n + ".rootVolumeGiB").isPresent()
                ? Optional.of(settings.integer(n + ".rootVolumeGiB", 0, 8, 16_384))
                // GPU images bring their own (large) root volume size; a smaller one would fail the launch.
                : gpu ? Optional.empty() : Optional.of(defaults.rootVolumeGiB());
        Optional<String> ami = settings.optional(n + ".amiParameter").map(value -> settings.string(
                n + ".amiParameter", value, SSM_PARAMETER, "an SSM parameter name such as /aws/service/..."));
        return new WorkerSpec(n, enabled, min, max, instanceType, gpu, target, maxReceive, drain, lifecycleDrain,
                grace, volume, ami);
    }

    /**
     * The lifecycle hook waits this long without a heartbeat before it continues the termination: the whole
     * lifecycle drain plus a margin, so even a worker that dies mid-drain (and stops heartbeating) cannot hold an
     * instance for longer than its drain was allowed to take. Capped to what EC2 Auto Scaling accepts; a longer
     * drain still completes because the worker records heartbeats while it drains.
     */
    public Duration lifecycleHeartbeatTimeout() {
        Duration wanted = lifecycleDrainTimeout.plus(LIFECYCLE_MARGIN);
        if (wanted.compareTo(MAX_HEARTBEAT_TIMEOUT) > 0) {
            return MAX_HEARTBEAT_TIMEOUT;
        }
        return wanted.compareTo(MIN_HEARTBEAT_TIMEOUT) < 0 ? MIN_HEARTBEAT_TIMEOUT : wanted;
    }
}
