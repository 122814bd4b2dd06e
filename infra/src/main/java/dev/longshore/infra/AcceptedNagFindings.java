package dev.longshore.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Vpc;

/**
 * The cdk-nag AwsSolutions findings the stack accepts, each with its reason (LongshoreNagTest runs the rules and
 * fails on any finding not listed here). The reasons are recorded in the template's metadata, next to the resource.
 */
final class AcceptedNagFindings {
    private AcceptedNagFindings() {
    }

    static void apply(Stack stack, FleetSpec fleet, IVpc vpc, List<WorkerFleet> workers) {
        if (vpc instanceof Vpc created) {
            NagSuppressions.addResourceSuppressions(created, List.of(suppress("AwsSolutions-VPC7",
                    "The instances accept no inbound traffic and call only AWS APIs and the workers' own outbound "
                            + "destinations, which the workers log per job; flow logs are billed per GB, so they are "
                            + "left to the operator (docs/deploy.md: Network)")), true);
        }
        for (WorkerFleet w : workers) {
            if (fleet.sessionManager()) {
                NagSuppressions.addResourceSuppressions(w.role, List.of(NagPackSuppression.builder()
                        .id("AwsSolutions-IAM4")
                        .reason("AmazonSSMManagedInstanceCore is AWS's policy for the SSM agent (Session Manager "
                                + "instead of SSH); AWS keeps it in step with the agent. sessionManager=false drops it")
                        .appliesTo(List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/"
                                + WorkerFleet.SESSION_MANAGER_POLICY))
                        .build()), true);
            }
            List<String> wildcards = new ArrayList<>();
            // ecr:GetAuthorizationToken and cloudwatch:PutMetricData accept no resource but "*"; the latter is held
            // to the stack's namespace by a condition.
            wildcards.add("Resource::*");
            // The group's ARN holds an id that AWS generates; the name after it is the stack's and fixed.
            wildcards.add("Resource::arn:<AWS::Partition>:autoscaling:<AWS::Region>:<AWS::AccountId>:autoScalingGroup:*"
                    + ":autoScalingGroupName/" + w.groupName);
            // Objects under a configured bucket and prefix: the prefix is the scope (docs/deploy.md: Storage).
            for (WorkerSpec.S3Location location : w.worker.storage().all()) {
                wildcards.add("Resource::arn:<AWS::Partition>:s3:::" + location.bucket() + "/" + location.prefix() + "*");
            }
            NagSuppressions.addResourceSuppressions(w.role, List.of(NagPackSuppression.builder()
                    .id("AwsSolutions-IAM5")
                    .reason("Only where AWS allows no narrower resource: actions without resource types, the group's "
                            + "generated id, and the objects under each configured S3 prefix")
                    .appliesTo(new ArrayList<Object>(wildcards))
                    .build()), true);
            NagSuppressions.addResourceSuppressions(w.group, List.of(suppress("AwsSolutions-AS3",
                    "Launch and termination errors go to the alarm topic; routine launches and terminations would "
                            + "bury the alarms (the group's activity history keeps them)")), true);
            if (w.worker.capacity().mixed()) {
                NagSuppressions.addResourceSuppressions(w.group, List.of(NagPackSuppression.builder()
                        .id("CdkNagValidationFailure")
                        .reason("EC26 cannot read volumes through a mixed instances policy; the launch template is "
                                + "the same as without one: an encrypted gp3 root volume, or for the GPU flavour its "
                                + "AMI's own (docs/deploy.md: Settings, rootVolumeGiB)")
                        .appliesTo(List.of("AwsSolutions-EC26"))
                        .build()), true);
            }
        }
    }

    private static NagPackSuppression suppress(String id, String reason) {
        return NagPackSuppression.builder().id(id).reason(reason).build();
    }
}
