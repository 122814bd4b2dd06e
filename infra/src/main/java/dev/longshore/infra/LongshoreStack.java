package dev.longshore.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.DefaultStackSynthesizer;
import software.amazon.awscdk.DefaultStackSynthesizerProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.constructs.Construct;

/**
 * The whole fleet in one stack: a small VPC (public subnets, no NAT gateway: instances reach SQS, ECR and
 * CloudWatch directly and accept no inbound traffic) and one {@link WorkerFleet} per enabled worker.
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

        Vpc vpc = Vpc.Builder.create(this, "Network")
                .ipAddresses(IpAddresses.cidr("10.42.0.0/16"))
                .maxAzs(fleet.maxAvailabilityZones())
                .natGateways(0)
                .restrictDefaultSecurityGroup(false)
                .subnetConfiguration(List.of(SubnetConfiguration.builder()
                        .name("workers")
                        .subnetType(SubnetType.PUBLIC)
                        .cidrMask(20)
                        .build()))
                .build();
        SecurityGroup workers = SecurityGroup.Builder.create(this, "WorkerSecurityGroup")
                .vpc(vpc)
                .description("Longshore workers: outbound only (health endpoint stays on the instance)")
                .allowAllOutbound(true)
                .build();

        // scripts/deploy reads the stack name back from a template file: the names inside depend on it.
        // In a fixed order: the committed template must not change from one synthesis to the next.
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("StackName", fleet.stackName());
        metadata.put("Workers", fleet.enabledWorkers().stream().map(WorkerSpec::name).toList());
        addMetadata("Longshore", metadata);
        for (WorkerSpec worker : fleet.enabledWorkers()) {
            new WorkerFleet(this, fleetId(worker), fleet, worker, vpc, workers);
        }
    }

    /** Construct id of a worker's fleet: "Messaging", "Video", "Ai". */
    static String fleetId(WorkerSpec worker) {
        return Character.toUpperCase(worker.name().charAt(0)) + worker.name().substring(1);
    }
}
