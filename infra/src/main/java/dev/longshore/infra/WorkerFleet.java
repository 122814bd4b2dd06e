package dev.longshore.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.autoscaling.BasicLifecycleHookProps;
import software.amazon.awscdk.services.autoscaling.DefaultResult;
import software.amazon.awscdk.services.autoscaling.Ec2HealthChecksOptions;
import software.amazon.awscdk.services.autoscaling.GroupMetrics;
import software.amazon.awscdk.services.autoscaling.HealthChecks;
import software.amazon.awscdk.services.autoscaling.InstancesDistribution;
import software.amazon.awscdk.services.autoscaling.LaunchTemplateOverrides;
import software.amazon.awscdk.services.autoscaling.LifecycleTransition;
import software.amazon.awscdk.services.autoscaling.MixedInstancesPolicy;
import software.amazon.awscdk.services.autoscaling.NotificationConfiguration;
import software.amazon.awscdk.services.autoscaling.OnDemandAllocationStrategy;
import software.amazon.awscdk.services.autoscaling.RollingUpdateOptions;
import software.amazon.awscdk.services.autoscaling.ScalingEvents;
import software.amazon.awscdk.services.autoscaling.SpotAllocationStrategy;
import software.amazon.awscdk.services.autoscaling.UpdatePolicy;
import software.amazon.awscdk.services.ec2.AmazonLinux2023ImageSsmParameterProps;
import software.amazon.awscdk.services.ec2.AmazonLinuxCpuType;
import software.amazon.awscdk.services.ec2.BlockDevice;
import software.amazon.awscdk.services.ec2.BlockDeviceVolume;
import software.amazon.awscdk.services.ec2.EbsDeviceOptions;
import software.amazon.awscdk.services.ec2.EbsDeviceVolumeType;
import software.amazon.awscdk.services.ec2.IMachineImage;
import software.amazon.awscdk.services.ec2.InstanceArchitecture;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.LaunchTemplate;
import software.amazon.awscdk.services.ec2.LaunchTemplateHttpTokens;
import software.amazon.awscdk.services.ec2.MachineImage;
import software.amazon.awscdk.services.ec2.UserData;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * One worker's fleet: its queue and dead-letter queue, log group, instance role, launch template, Auto Scaling
 * group with the draining lifecycle hook and rolling updates, queue-depth scaling and alarms.
 */
final class WorkerFleet extends Construct {
    /** The lifecycle hook's name; the same in every group (hook names are unique per group). */
    static final String LIFECYCLE_HOOK_NAME = "longshore-drain";
    /** Port of the worker's health endpoint inside the container (WORKER_HEALTH_PORT's default). */
    static final int HEALTH_PORT = 8080;
    /** Default visibility of the queue itself; workers ask for their own on every receive and extend it. */
    static final Duration QUEUE_VISIBILITY = Duration.seconds(60);
    static final Duration QUEUE_RETENTION = Duration.days(4);
    /** Dead letters wait for a human: keep them for SQS's maximum. */
    static final Duration DEAD_LETTER_RETENTION = Duration.days(14);
    /** Where Amazon Linux 2023 and the Deep Learning AMIs put the root volume. */
    static final String ROOT_DEVICE = "/dev/xvda";
    static final String GPU_AMI_PARAMETER_FORMAT =
            "/aws/service/deeplearning/ami/%s/base-oss-nvidia-driver-gpu-amazon-linux-2023/latest/ami-id";

    /** Session Manager access (docs/deploy.md: Network): AWS's own policy for the SSM agent. */
    static final String SESSION_MANAGER_POLICY = "AmazonSSMManagedInstanceCore";

    final WorkerSpec worker;
    final String groupName;
    final Queue queue;
    final Queue deadLetterQueue;
    final AutoScalingGroup group;
    final LaunchTemplate launchTemplate;
    final Role role;
    final LogGroup logGroup;
    final WorkerAlarms alarms;

    WorkerFleet(Construct scope, String id, FleetSpec fleet, WorkerSpec worker, FleetNetwork network, ITopic alarmTopic) {
        super(scope, id);
        Stack stack = Stack.of(this);
        this.worker = worker;
        this.groupName = fleet.autoScalingGroupName(worker);

        deadLetterQueue = Queue.Builder.create(this, "DeadLetterQueue")
                .retentionPeriod(DEAD_LETTER_RETENTION)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .build();
        queue = Queue.Builder.create(this, "Queue")
                .visibilityTimeout(QUEUE_VISIBILITY)
                .retentionPeriod(QUEUE_RETENTION)
                .receiveMessageWaitTime(Duration.seconds(20))
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .deadLetterQueue(DeadLetterQueue.builder()
                        .queue(deadLetterQueue)
                        .maxReceiveCount(worker.maxReceiveCount())
                        .build())
                .build();

        logGroup = LogGroup.Builder.create(this, "Logs")
                .logGroupName(fleet.logGroupName(worker))
                .retention(retention(fleet.logRetentionDays()))
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();

        role = Role.Builder.create(this, "InstanceRole")
                .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
                .description("Longshore " + worker.name() + " worker instances")
                .build();
        InstancePermissions.grant(role, new InstancePermissions.Targets(
                queue.getQueueArn(), deadLetterQueue.getQueueArn(), groupName, fleet.envParameterName(worker),
                fleet.repositoryName(worker), logGroup.getLogGroupArn(), fleet.metricsNamespace(), worker.storage()));
        if (fleet.sessionManager()) {
            role.addManagedPolicy(ManagedPolicy.fromAwsManagedPolicyName(SESSION_MANAGER_POLICY));
        }

        InstanceType instanceType = new InstanceType(worker.instanceType());
        boolean arm = instanceType.getArchitecture() == InstanceArchitecture.ARM_64;
        LaunchTemplate.Builder template = LaunchTemplate.Builder.create(this, "LaunchTemplate")
                .instanceType(instanceType)
                .machineImage(machineImage(worker, arm))
                .userData(UserData.custom(WorkerUserData.render(WorkerUserData.script(),
                        userDataSettings(stack, fleet, worker, groupName))))
                .role(role)
                .securityGroup(network.securityGroup())
                .httpEndpoint(true)
                .httpTokens(LaunchTemplateHttpTokens.REQUIRED)
                // The worker runs in a container: one hop more than the instance itself to reach IMDSv2.
                .httpPutResponseHopLimit(2)
                .instanceMetadataTags(false);
        worker.rootVolumeGiB().ifPresent(size -> template.blockDevices(List.of(BlockDevice.builder()
                .deviceName(ROOT_DEVICE)
                .volume(BlockDeviceVolume.ebs(size, EbsDeviceOptions.builder()
                        .volumeType(EbsDeviceVolumeType.GP3)
                        .encrypted(true)
                        .deleteOnTermination(true)
                        .build()))
                .build())));
        launchTemplate = template.build();

        AutoScalingGroup.Builder groupBuilder = AutoScalingGroup.Builder.create(this, "Group")
                .autoScalingGroupName(groupName)
                .vpc(network.vpc())
                .vpcSubnets(network.subnets());
        WorkerSpec.Capacity capacity = worker.capacity();
        if (capacity.mixed()) {
            groupBuilder.mixedInstancesPolicy(MixedInstancesPolicy.builder()
                            .launchTemplate(launchTemplate)
                            .launchTemplateOverrides(capacity.instanceTypes().stream()
                                    .map(t -> LaunchTemplateOverrides.builder().instanceType(new InstanceType(t)).build())
                                    .toList())
                            .instancesDistribution(InstancesDistribution.builder()
                                    .onDemandBaseCapacity(capacity.spot() ? capacity.onDemandBaseCapacity() : 0)
                                    .onDemandPercentageAboveBaseCapacity(capacity.spot() ? 0 : 100)
                                    .onDemandAllocationStrategy(OnDemandAllocationStrategy.PRIORITIZED)
                                    .spotAllocationStrategy(SpotAllocationStrategy.CAPACITY_OPTIMIZED)
                                    .build())
                            .build())
                    // A rebalance recommendation starts a replacement; the old instance then drains through the hook.
                    .capacityRebalance(capacity.spot());
        } else {
            groupBuilder.launchTemplate(launchTemplate);
        }
        WorkerSpec.Updates updates = worker.updates();
        group = groupBuilder
                .minCapacity(worker.minSize())
                .maxCapacity(worker.maxSize())
                .groupMetrics(List.of(GroupMetrics.all()))
                .healthChecks(HealthChecks.ec2(Ec2HealthChecksOptions.builder()
                        .gracePeriod(Duration.seconds(worker.healthCheckGracePeriod().toSeconds()))
                        .build()))
                .defaultInstanceWarmup(Duration.seconds(fleet.instanceWarmup().toSeconds()))
                // A new launch template version replaces instances in batches, pausing after each (docs/deploy.md:
                // Releases); a failed update rolls the stack, and with it the template, back.
                .updatePolicy(UpdatePolicy.rollingUpdate(RollingUpdateOptions.builder()
                        .maxBatchSize(updates.batchSize())
                        .minInstancesInService(updates.minInstancesInService())
                        .pauseTime(Duration.seconds(updates.pause().toSeconds()))
                        .build()))
                // Launch and termination failures go to the alarm topic; routine scaling does not (it would bury
                // the alarms).
                .notifications(List.of(NotificationConfiguration.builder()
                        .topic(alarmTopic)
                        .scalingEvents(ScalingEvents.ERRORS)
                        .build()))
                .build();
        group.addLifecycleHook("DrainHook", BasicLifecycleHookProps.builder()
                .lifecycleHookName(LIFECYCLE_HOOK_NAME)
                .lifecycleTransition(LifecycleTransition.INSTANCE_TERMINATING)
                .heartbeatTimeout(Duration.seconds(worker.lifecycleHeartbeatTimeout().toSeconds()))
                .defaultResult(DefaultResult.CONTINUE)
                .build());

        new QueueDepthScaling(this, "Scaling", group.getAutoScalingGroupName(), queue.getQueueName(),
                worker.scaling().target(), worker.minSize() == 0);
        alarms = new WorkerAlarms(this, "Alarms", alarmTopic, fleet, worker, queue, deadLetterQueue, logGroup);

        Tags.of(this).add("longshore:worker", worker.name());
        output("QueueUrl", queue.getQueueUrl(), "queue the " + worker.name() + " worker consumes");
        output("DeadLetterQueueUrl", deadLetterQueue.getQueueUrl(), "its dead-letter queue");
        output("GroupName", group.getAutoScalingGroupName(), "its Auto Scaling group");
        output("EnvParameter", fleet.envParameterName(worker), "SSM parameter with its .env (scripts/put-env)");
        output("LogGroup", logGroup.getLogGroupName(), "CloudWatch log group of its instances and containers");
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }

    private static IMachineImage machineImage(WorkerSpec worker, boolean arm) {
        if (worker.amiParameter().isPresent()) {
            return MachineImage.fromSsmParameter(worker.amiParameter().get());
        }
        if (worker.gpu()) {
            // NVIDIA driver, Docker and the NVIDIA container toolkit are on this image already.
            return MachineImage.fromSsmParameter(GPU_AMI_PARAMETER_FORMAT.formatted(arm ? "arm64" : "x86_64"));
        }
        return MachineImage.latestAmazonLinux2023(AmazonLinux2023ImageSsmParameterProps.builder()
                .cpuType(arm ? AmazonLinuxCpuType.ARM_64 : AmazonLinuxCpuType.X86_64)
                .build());
    }

    /** What the instance needs to know, as LONGSHORE_* variables the user-data script reads. */
    private Map<String, String> userDataSettings(Stack stack, FleetSpec fleet, WorkerSpec worker, String groupName) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("LONGSHORE_WORKER", worker.name());
        s.put("LONGSHORE_REGION", stack.getRegion());
        s.put("LONGSHORE_IMAGE", stack.getAccount() + ".dkr.ecr." + stack.getRegion() + "." + stack.getUrlSuffix()
                + "/" + fleet.repositoryName(worker) + ":" + worker.image().tag().orElse(fleet.imageTag()));
        s.put("LONGSHORE_QUEUE_URL", queue.getQueueUrl());
        s.put("LONGSHORE_ASG_NAME", groupName);
        s.put("LONGSHORE_HOOK_NAME", LIFECYCLE_HOOK_NAME);
        s.put("LONGSHORE_ENV_PARAMETER", fleet.envParameterName(worker));
        s.put("LONGSHORE_LOG_GROUP", fleet.logGroupName(worker));
        s.put("LONGSHORE_METRICS_NAMESPACE", fleet.metricsNamespace());
        s.put("LONGSHORE_HEALTH_PORT", Integer.toString(HEALTH_PORT));
        s.put("LONGSHORE_DRAIN_TIMEOUT", Settings.format(worker.drainTimeout()));
        s.put("LONGSHORE_LIFECYCLE_DRAIN_TIMEOUT", Settings.format(worker.lifecycleDrainTimeout()));
        s.put("LONGSHORE_GPU", Boolean.toString(worker.gpu()));
        List<String> defaults = new ArrayList<>();
        // The scaling target is sized from this (docs/deploy.md: Choosing the target).
        defaults.add("WORKER_CONCURRENCY=" + worker.scaling().concurrency());
        if (worker.scaling().scaleInProtection()) {
            // Busy instances protect themselves, so target tracking scales in idle ones only.
            defaults.add("WORKER_SCALE_IN_PROTECTION=true");
        }
        if ("ai".equals(worker.name()) && !worker.gpu()) {
            // The CPU flavour has no GPU: without this the AI worker would pause forever waiting for one.
            defaults.add("WORKER_GPU_REQUIRED=false");
        }
        if ("video".equals(worker.name()) && !worker.storage().all().isEmpty()) {
            // The worker's allow list is what the role may reach (docs/deploy.md: Storage and results).
            // Bucket names only: the worker checks buckets, the role's prefix-scoped grants check the keys.
            defaults.add("WORKER_VIDEO_S3_BUCKETS=" + String.join(",",
                    worker.storage().all().stream().map(WorkerSpec.S3Location::bucket).distinct().toList()));
        }
        worker.storage().resultQueueUrl().ifPresent(url -> defaults.add("WORKER_RESULT_QUEUE_URL=" + url));
        // The operator's image FROM the stack's AI image carries the tasks (docs/ai.md: Tasks on the stack).
        worker.image().tasksFile().ifPresent(path -> defaults.add("WORKER_AI_TASKS=" + path));
        s.put("LONGSHORE_DEFAULT_ENV", String.join(" ", defaults));
        return s;
    }

    private static RetentionDays retention(int days) {
        for (RetentionDays r : RetentionDays.values()) {
            if (days(r) == days) {
                return r;
            }
        }
        throw Settings.invalid("logRetentionDays", Integer.toString(days), "a CloudWatch Logs retention period");
    }

    private static int days(RetentionDays r) {
        return switch (r) {
            case ONE_DAY -> 1;
            case THREE_DAYS -> 3;
            case FIVE_DAYS -> 5;
            case ONE_WEEK -> 7;
            case TWO_WEEKS -> 14;
            case ONE_MONTH -> 30;
            case TWO_MONTHS -> 60;
            case THREE_MONTHS -> 90;
            case FOUR_MONTHS -> 120;
            case FIVE_MONTHS -> 150;
            case SIX_MONTHS -> 180;
            case ONE_YEAR -> 365;
            case THIRTEEN_MONTHS -> 400;
            case EIGHTEEN_MONTHS -> 545;
            case TWO_YEARS -> 731;
            case THREE_YEARS -> 1096;
            case FIVE_YEARS -> 1827;
            case SIX_YEARS -> 2192;
            case SEVEN_YEARS -> 2557;
            case EIGHT_YEARS -> 2922;
            case NINE_YEARS -> 3288;
            case TEN_YEARS -> 3653;
            default -> -1;
        };
    }
}
