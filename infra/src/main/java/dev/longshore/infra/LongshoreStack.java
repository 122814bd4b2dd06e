package dev.longshore.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.DefaultStackSynthesizer;
import software.amazon.awscdk.DefaultStackSynthesizerProps;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * The whole fleet in one stack: the network ({@link FleetNetwork}: by default a small VPC with public subnets and no
 * NAT gateway, instances accepting no inbound traffic), one {@link WorkerFleet} per enabled worker, one alarm topic
 * and one dashboard.
 */
public final class LongshoreStack extends Stack {
    public LongshoreStack(Construct scope, FleetSpec fleet) {
        super(scope, fleet.stackName(), StackProps.builder()
                .stackName(fleet.stackName())
                .description("Longshore: SQS queue workers on EC2 Auto Scaling (messaging, video, ai)")
                // No bootstrap version rule: the template deploys with plain `aws cloudformation deploy` too.
                .synthesizer(new DefaultStackSynthesizer(DefaultStackSynthesizerProps.builder()
                        .generateBootstrapVersionRule(false)
                        .build()))
                .build());

        FleetNetwork network = FleetNetwork.create(this, fleet.network());
        Topic alarms = Topic.Builder.create(this, "AlarmTopic")
                .displayName(fleet.stackName() + " alarms")
                .enforceSsl(true)
                .build();
        fleet.alarmEmail().ifPresent(email -> alarms.addSubscription(new EmailSubscription(email)));

        // scripts/deploy reads the stack name back from a template file: the names inside depend on it.
        // In a fixed order: the committed template must not change from one synthesis to the next.
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("StackName", fleet.stackName());
        metadata.put("Workers", fleet.enabledWorkers().stream().map(WorkerSpec::name).toList());
        // The pinned tag the instances pull, so a script can check ECR for it (docs/deploy.md: Releases).
        metadata.put("ImageTag", fleet.imageTag());
        addMetadata("Longshore", metadata);
        List<WorkerFleet> workers = new ArrayList<>();
        for (WorkerSpec worker : fleet.enabledWorkers()) {
            workers.add(new WorkerFleet(this, fleetId(worker), fleet, worker, network, alarms));
        }
        FleetDashboard.create(this, fleet, workers);
        AcceptedNagFindings.apply(this, fleet, network.vpc(), workers);

        CfnOutput.Builder.create(this, "AlarmTopicArn").value(alarms.getTopicArn())
                .description("SNS topic of every alarm (subscribe with alarmEmail=... or aws sns subscribe)").build();
        CfnOutput.Builder.create(this, "ReleaseAlarmArns")
                .value(Fn.join(",", workers.stream().map(w -> w.alarms.restartLoop.getAlarmArn()).toList()))
                .description("restart-loop alarms: rollback triggers for an update (docs/deploy.md: Releases)").build();
    }

    /** Construct id of a worker's fleet: "Messaging", "Video", "Ai". */
    static String fleetId(WorkerSpec worker) {
        return Character.toUpperCase(worker.name().charAt(0)) + worker.name().substring(1);
    }
}
