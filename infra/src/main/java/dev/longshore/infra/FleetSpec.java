package dev.longshore.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/** Everything the stack is built from, read once from the CDK context and validated before any construct exists. */
public record FleetSpec(
        String stackName,
        String imageTag,
        String repositoryPrefix,
        String metricsNamespace,
        int logRetentionDays,
        Duration instanceWarmup,
        Network network,
        Optional<String> alarmEmail,
        boolean sessionManager,
        List<WorkerSpec> workers) {

    public static final String DEFAULT_STACK_NAME = "Longshore";
    /**
     * The build's own version (Maven project version): the stack pins one image tag and never pulls a moving
     * {@code latest} (docs/deploy.md: Releases).
     */
    public static final String DEFAULT_IMAGE_TAG = buildVersion();
    /** The moving tag that an instance started tomorrow would resolve differently from one started today. */
    static final String MOVING_TAG = "latest";
    public static final String DEFAULT_REPOSITORY_PREFIX = "longshore";
    /** The worker's default WORKER_METRICS_NAMESPACE (README: Configuration). */
    public static final String DEFAULT_METRICS_NAMESPACE = "Longshore";
    public static final int DEFAULT_LOG_RETENTION_DAYS = 30;
    /** Long enough for a new instance's JVM to take work before its (empty) metrics count toward the average. */
    public static final Duration DEFAULT_INSTANCE_WARMUP = Duration.ofSeconds(180);

    /** The fleet design: messaging always on, video and AI scale from zero. */
    public static final List<WorkerSpec.Defaults> DESIGN = List.of(
            new WorkerSpec.Defaults("messaging", 1, 10, "t4g.small", 16, 32),
            new WorkerSpec.Defaults("video", 0, 20, "t4g.medium", 40, 1),
            new WorkerSpec.Defaults("ai", 0, 10, "t4g.small", 20, 1));

    /**
     * Where the instances run (docs/deploy.md: Network).
     *
     * @param vpcId            an existing VPC; empty: the stack creates one
     * @param subnetIds        the existing VPC's subnets for the instances (and the endpoints)
     * @param securityGroupId  an existing security group for the instances; empty: the stack creates one
     * @param routeTableIds    the existing subnets' route tables, for the S3 gateway endpoint
     * @param privateSubnets   the created VPC has private subnets with no route to the internet
     * @param vpcEndpoints     interface endpoints for the AWS APIs the instances call and an S3 gateway endpoint
     * @param maxAzs           availability zones of the created VPC
     */
    public record Network(Optional<String> vpcId, List<String> subnetIds, Optional<String> securityGroupId,
                          List<String> routeTableIds, boolean privateSubnets, boolean vpcEndpoints, int maxAzs) {
        public boolean existing() {
            return vpcId.isPresent();
        }
    }

    /** CloudWatch Logs accepts only these retention periods. */
    private static final List<Integer> RETENTION_DAYS = List.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365,
            400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    private static final Pattern STACK_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,100}");
    static final Pattern IMAGE_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern REPOSITORY_PREFIX = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_./#:-]{1,255}");
    private static final Pattern VPC_ID = Pattern.compile("vpc-[0-9a-f]{8,17}");
    private static final Pattern SUBNET_ID = Pattern.compile("subnet-[0-9a-f]{8,17}");
    private static final Pattern SECURITY_GROUP_ID = Pattern.compile("sg-[0-9a-f]{8,17}");
    private static final Pattern ROUTE_TABLE_ID = Pattern.compile("rtb-[0-9a-f]{8,17}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s',]+@[^@\\s',]+\\.[^@\\s',]+");

    public static FleetSpec read(Settings settings) {
        String stackName = settings.string("stackName", DEFAULT_STACK_NAME, STACK_NAME,
                "a CloudFormation stack name (letters, digits, hyphens; starting with a letter)");
        String tag = settings.string("imageTag", DEFAULT_IMAGE_TAG, IMAGE_TAG, "a container image tag");
        if (tag.toLowerCase(Locale.ROOT).equals(MOVING_TAG)) {
            throw Settings.invalid("imageTag", tag, "a pinned image tag such as the one scripts/push-images printed "
                    + "(latest moves: instances started on different days would run different images)");
        }
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
        Network network = network(settings);
        Optional<String> email = settings.optional("alarmEmail")
                .map(e -> settings.string("alarmEmail", e, EMAIL, "an e-mail address for the alarm topic"));
        boolean sessionManager = settings.bool("sessionManager", true);
        List<WorkerSpec> workers = DESIGN.stream().map(d -> WorkerSpec.read(settings, d)).toList();
        if (workers.stream().noneMatch(WorkerSpec::enabled)) {
            throw new SettingsException("settings messaging.enabled, video.enabled and ai.enabled are all false: "
                    + "the stack would hold no worker");
        }
        return new FleetSpec(stackName, tag, prefix, namespace, retention, warmup, network, email, sessionManager,
                workers);
    }

    private static Network network(Settings settings) {
        int azs = settings.integer("maxAzs", 2, 1, 6);
        Optional<String> vpc = settings.optional("vpcId")
                .map(v -> settings.string("vpcId", v, VPC_ID, "a VPC id such as vpc-0123456789abcdef0"));
        List<String> subnets = settings.list("subnetIds", SUBNET_ID, "subnet ids such as subnet-0123456789abcdef0");
        Optional<String> group = settings.optional("securityGroupId").map(g -> settings.string("securityGroupId", g,
                SECURITY_GROUP_ID, "a security group id such as sg-0123456789abcdef0"));
        List<String> routeTables = settings.list("routeTableIds", ROUTE_TABLE_ID,
                "route table ids such as rtb-0123456789abcdef0");
        boolean privateSubnets = settings.bool("privateSubnets", false);
        boolean endpoints = settings.bool("vpcEndpoints", privateSubnets);
        if (vpc.isPresent() != !subnets.isEmpty()) {
            throw new SettingsException("settings vpcId and subnetIds go together: an existing VPC needs the subnets "
                    + "the instances run in, and subnets need their VPC");
        }
        if (vpc.isEmpty() && (group.isPresent() || !routeTables.isEmpty())) {
            throw new SettingsException("settings securityGroupId and routeTableIds need vpcId: they belong to an "
                    + "existing VPC");
        }
        if (vpc.isPresent() && privateSubnets) {
            throw new SettingsException("setting privateSubnets=true is for the VPC the stack creates; with vpcId the "
                    + "subnets in subnetIds are used as they are (set vpcEndpoints=true for endpoints in them)");
        }
        return new Network(vpc, subnets, group, routeTables, privateSubnets, endpoints, azs);
    }

    /** The Maven project version, written into the jar at build time (src/main/resources, filtered). */
    private static String buildVersion() {
        Properties properties = new Properties();
        try (InputStream in = FleetSpec.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                throw new IllegalStateException("build.properties is missing from the class path; build infra with Maven");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
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
