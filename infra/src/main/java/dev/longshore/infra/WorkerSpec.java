package dev.longshore.infra;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awscdk.services.ec2.InstanceArchitecture;
import software.amazon.awscdk.services.ec2.InstanceType;

/**
 * One worker's fleet: sizes, instance types, scaling target and the timeouts that the lifecycle hook and the
 * container's stop timeout are sized from, its storage and its alarms. Read from context keys
 * {@code <worker>.<setting>} (docs/deploy.md: Settings).
 */
public record WorkerSpec(
        String name,
        boolean enabled,
        int minSize,
        int maxSize,
        String instanceType,
        boolean gpu,
        Scaling scaling,
        int maxReceiveCount,
        Duration drainTimeout,
        Duration lifecycleDrainTimeout,
        Duration healthCheckGracePeriod,
        Optional<Integer> rootVolumeGiB,
        Optional<String> amiParameter,
        Capacity capacity,
        Storage storage,
        Alarms alarms,
        Updates updates,
        Image image) {

    /** The worker's default WORKER_DRAIN_TIMEOUT (README: Configuration). */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    /** The worker's default WORKER_LIFECYCLE_DRAIN_TIMEOUT (README: Configuration). */
    public static final Duration DEFAULT_LIFECYCLE_DRAIN_TIMEOUT = Duration.ofMinutes(15);
    /**
     * Share of an instance's job slots (WORKER_CONCURRENCY) that target tracking aims to keep busy: the rest is
     * headroom for a burst while new instances boot.
     */
    public static final double DEFAULT_UTILISATION = 0.8;
    /** A message waiting longer than this raises the oldest-message alarm. */
    public static final Duration DEFAULT_MAX_MESSAGE_AGE = Duration.ofHours(1);
    /** A rolling update replaces a quarter of the group per batch: three checkpoints before the last batch. */
    public static final int UPDATE_BATCHES = 4;
    /** Wait after each rolling-update batch before the next: long enough for the restart-loop alarm to fire. */
    public static final Duration DEFAULT_UPDATE_PAUSE = Duration.ofMinutes(5);
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
    /** A path inside the image; it goes into the user data's space-separated defaults, so no spaces or quotes. */
    private static final Pattern IMAGE_PATH = Pattern.compile("/[A-Za-z0-9_.@+-][A-Za-z0-9_.@+/-]{0,1023}");
    /** S3 bucket names (no dots at the ends, lower case), optionally followed by /prefix. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern BUCKET_AND_PREFIX = Pattern.compile(BUCKET.pattern() + "(/[A-Za-z0-9!_.()/-]{1,512})?");
    /** Key prefix: no quotes, spaces or wildcards (the stack appends the one wildcard itself). */
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9!_.()-][A-Za-z0-9!_.()/-]{0,511}");
    /** https://sqs.<region>.amazonaws.com/<account>/<name> (or .amazonaws.com.cn, or the .api.aws form). */
    private static final Pattern QUEUE_URL = Pattern.compile(
            "https://sqs\\.([a-z0-9-]+)\\.(?:amazonaws\\.com(?:\\.cn)?|api\\.aws)/(\\d{12})/([A-Za-z0-9_-]{1,80}(?:\\.fifo)?)");

    /** The design's defaults for one worker (docs/deploy.md fleet table); concurrency is the worker's own default. */
    public record Defaults(String name, int minSize, int maxSize, String instanceType, int rootVolumeGiB,
                           int concurrency) {
    }

    /**
     * Target tracking on work per instance: (visible + in-flight messages) / InService instances, aimed at
     * {@code concurrency x utilisation} unless {@code backlogTarget} names the target itself.
     *
     * @param concurrency       WORKER_CONCURRENCY given to the worker
     * @param utilisation       share of the job slots kept busy
     * @param backlogTarget     an explicit target (work per instance), overriding concurrency x utilisation
     * @param scaleInProtection WORKER_SCALE_IN_PROTECTION: busy instances protect themselves from scale-in
     */
    public record Scaling(int concurrency, double utilisation, Optional<Integer> backlogTarget,
                          boolean scaleInProtection) {
        /** Messages (waiting or in flight) per InService instance that target tracking aims for. */
        public double target() {
            return backlogTarget.map(Integer::doubleValue)
                    .orElse(Math.round(concurrency * utilisation * 100) / 100.0);
        }
    }

    /**
     * Instance types and purchase options. More than one type, or spot, turns on a mixed instances policy.
     *
     * @param instanceTypes         first one is the launch template's type and decides the image's architecture
     * @param spot                  spot instances above the on-demand base, capacity-optimized, capacity rebalance
     * @param onDemandBaseCapacity  instances always bought on demand
     */
    public record Capacity(List<String> instanceTypes, boolean spot, int onDemandBaseCapacity) {
        public boolean mixed() {
            return spot || instanceTypes.size() > 1;
        }
    }

    /** One S3 location: a bucket and an optional key prefix ("" for the whole bucket). */
    public record S3Location(String bucket, String prefix) {
        static S3Location parse(String text) {
            int slash = text.indexOf('/');
            return slash < 0 ? new S3Location(text, "") : new S3Location(text.substring(0, slash), text.substring(slash + 1));
        }

        /** {@code bucket} or {@code bucket/prefix}, as the settings write it. */
        @Override
        public String toString() {
            return prefix.isEmpty() ? bucket : bucket + "/" + prefix;
        }
    }

    /**
     * Where the worker reads and writes (docs/deploy.md: Storage and results).
     *
     * @param inputs         read-only locations
     * @param output         the write location, if any
     * @param resultQueueUrl WORKER_RESULT_QUEUE_URL, if results are sent
     */
    public record Storage(List<S3Location> inputs, Optional<S3Location> output, Optional<String> resultQueueUrl) {
        /** Every location, inputs first, as the worker's bucket allow list. */
        public List<S3Location> all() {
            return Stream.concat(inputs.stream(), output.stream()).distinct().toList();
        }

        /** {@code arn:<partition>:sqs:<region>:<account>:<name>} of the result queue, partition left to the caller. */
        public Optional<List<String>> resultQueueRegionAccountName() {
            return resultQueueUrl.map(url -> {
                Matcher m = QUEUE_URL.matcher(url);
                if (!m.matches()) {
                    throw new IllegalStateException("validated at read: " + url);
                }
                return List.of(m.group(1), m.group(2), m.group(3));
            });
        }
    }

    /** @param maxMessageAge the oldest-message alarm fires above this age */
    public record Alarms(Duration maxMessageAge) {
    }

    /**
     * The worker's image: another tag in its own repository (the role pulls from that repository only), and for the
     * AI worker the tasks file inside the image, passed as WORKER_AI_TASKS (docs/ai.md: Tasks on the stack).
     */
    public record Image(Optional<String> tag, Optional<String> tasksFile) {
    }

    /** Rolling update of the group when its launch template changes (docs/deploy.md: Releases). */
    public record Updates(int batchSize, int minInstancesInService, Duration pause) {
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
        Scaling scaling = new Scaling(
                settings.integer(n + ".concurrency", defaults.concurrency(), 1, 1024),
                settings.decimal(n + ".utilisation", DEFAULT_UTILISATION, 0.05, 100),
                settings.optional(n + ".backlogTarget").map(v -> settings.integer(n + ".backlogTarget", 0, 1, 100_000)),
                settings.bool(n + ".scaleInProtection", true));
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
        Capacity capacity = capacity(settings, n, instanceType, gpu);
        Storage storage = new Storage(
                settings.list(n + ".inputBuckets", BUCKET_AND_PREFIX, "S3 buckets, each optionally with /prefix")
                        .stream().map(S3Location::parse).toList(),
                output(settings, n),
                settings.optional(n + ".resultQueueUrl").map(url -> settings.string(n + ".resultQueueUrl", url,
                        QUEUE_URL, "an SQS queue URL such as https://sqs.eu-west-1.amazonaws.com/123456789012/results")));
        Alarms alarms = new Alarms(settings.duration(n + ".maxMessageAge", DEFAULT_MAX_MESSAGE_AGE,
                Duration.ofMinutes(1), Duration.ofDays(14)));
        int batch = settings.integer(n + ".updateBatchSize", Math.max(1, (max + UPDATE_BATCHES - 1) / UPDATE_BATCHES),
                1, 1000);
        Updates updates = new Updates(batch, Math.min(min, max - 1),
                settings.duration(n + ".updatePause", DEFAULT_UPDATE_PAUSE, Duration.ZERO, Duration.ofHours(1)));
        Image image = new Image(
                settings.optional(n + ".imageTag").map(tag -> settings.string(n + ".imageTag", tag, FleetSpec.IMAGE_TAG,
                        "a tag in this worker's repository, such as the one of an image built FROM the stack's")),
                "ai".equals(n) ? settings.optional(n + ".tasksFile").map(path -> settings.string(n + ".tasksFile", path,
                        IMAGE_PATH, "an absolute path inside the image, such as /opt/tasks/tasks.json"))
                        : Optional.empty());
        return new WorkerSpec(n, enabled, min, max, capacity.instanceTypes().get(0), gpu, scaling, maxReceive, drain,
                lifecycleDrain, grace, volume, ami, capacity, storage, alarms, updates, image);
    }

    private static Capacity capacity(Settings settings, String n, String instanceType, boolean gpu) {
        List<String> types = settings.list(n + ".instanceTypes", INSTANCE_TYPE, "EC2 instance types such as t4g.small");
        if (types.isEmpty()) {
            types = List.of(instanceType);
        }
        InstanceArchitecture architecture = new InstanceType(types.get(0)).getArchitecture();
        for (String type : types) {
            if (new InstanceType(type).getArchitecture() != architecture) {
                throw Settings.invalid(n + ".instanceTypes", String.join(",", types),
                        "instance types of one architecture (one image serves them all): " + types.get(0) + " is "
                                + architecture.name().toLowerCase(Locale.ROOT) + ", " + type + " is not");
            }
            if (gpu && !GPU_FAMILY.matcher(type).matches()) {
                throw new SettingsException("settings " + n + ".gpu=true and " + n + ".instanceTypes="
                        + String.join(",", types) + " are invalid: " + type + " has no NVIDIA GPU");
            }
        }
        boolean spot = settings.bool(n + ".spot", false);
        int base = settings.integer(n + ".onDemandBaseCapacity", 0, 0, 1000);
        return new Capacity(types, spot, base);
    }

    private static Optional<S3Location> output(Settings settings, String n) {
        Optional<String> bucket = settings.optional(n + ".outputBucket")
                .map(b -> settings.string(n + ".outputBucket", b, BUCKET, "an S3 bucket name"));
        Optional<String> prefix = settings.optional(n + ".outputPrefix")
                .map(p -> settings.string(n + ".outputPrefix", p, PREFIX, "an S3 key prefix such as renditions/"));
        if (prefix.isPresent() && bucket.isEmpty()) {
            throw new SettingsException("setting " + n + ".outputPrefix=\"" + prefix.get() + "\" is invalid without "
                    + n + ".outputBucket");
        }
        return bucket.map(b -> new S3Location(b, prefix.orElse("")));
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
