package dev.longshore.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * The least privilege one worker's instances need, as explicit statements so that a reader (and the template
 * test) sees every action and every resource. Only the two actions that AWS does not scope to a resource
 * (ecr:GetAuthorizationToken, cloudwatch:PutMetricData) use "*", the latter held to the namespace by a condition.
 * Storage (docs/deploy.md: Storage and results) reaches exactly the configured buckets and prefixes.
 */
final class InstancePermissions {
    private InstancePermissions() {
    }

    record Targets(String queueArn, String deadLetterQueueArn, String autoScalingGroupName, String envParameterName,
                   String repositoryName, String logGroupArn, String metricsNamespace, WorkerSpec.Storage storage) {
    }

    static void grant(IRole role, Targets t) {
        Stack stack = Stack.of(role);
        role.addToPrincipalPolicy(statement("ConsumeOwnQueues",
                List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
                        "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"),
                List.of(t.queueArn(), t.deadLetterQueueArn())));
        role.addToPrincipalPolicy(statement("LifecycleOfOwnGroup",
                List.of("autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat",
                        "autoscaling:SetInstanceHealth", "autoscaling:SetInstanceProtection"),
                List.of(stack.formatArn(ArnComponents.builder()
                        .service("autoscaling")
                        .resource("autoScalingGroup")
                        // The group's ARN holds a generated id; the name after it is ours and fixed.
                        .resourceName("*:autoScalingGroupName/" + t.autoScalingGroupName())
                        .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                        .build()))));
        role.addToPrincipalPolicy(statement("ReadOwnEnvParameter",
                List.of("ssm:GetParameter"),
                List.of(stack.formatArn(ArnComponents.builder()
                        .service("ssm")
                        .resource("parameter")
                        .resourceName(t.envParameterName().substring(1))
                        .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                        .build()))));
        role.addToPrincipalPolicy(statement("PullOwnImage",
                List.of("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"),
                List.of(stack.formatArn(ArnComponents.builder()
                        .service("ecr")
                        .resource("repository")
                        .resourceName(t.repositoryName())
                        .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                        .build()))));
        role.addToPrincipalPolicy(statement("LogInToRegistry",
                List.of("ecr:GetAuthorizationToken"), List.of("*")));
        role.addToPrincipalPolicy(statement("ShipLogs",
                List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                List.of(t.logGroupArn())));
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("PublishMetricsInNamespace")
                .actions(List.of("cloudwatch:PutMetricData"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", t.metricsNamespace())))
                .build());
        grantStorage(role, t.storage());
    }

    private static void grantStorage(IRole role, WorkerSpec.Storage storage) {
        Stack stack = Stack.of(role);
        if (!storage.inputs().isEmpty()) {
            role.addToPrincipalPolicy(statement("ReadInputObjects", List.of("s3:GetObject"),
                    storage.inputs().stream().map(l -> objectsArn(stack, l)).toList()));
            // ListBucket lets a missing key read as 404 (a permanent failure), not 403; held to the prefixes.
            for (int i = 0; i < storage.inputs().size(); i++) {
                WorkerSpec.S3Location location = storage.inputs().get(i);
                PolicyStatement.Builder list = PolicyStatement.Builder.create()
                        .sid("ListInput" + (i + 1))
                        .actions(List.of("s3:ListBucket"))
                        .resources(List.of(bucketArn(stack, location.bucket())));
                if (!location.prefix().isEmpty()) {
                    list.conditions(Map.of("StringLike", Map.of("s3:prefix", List.of(location.prefix() + "*"))));
                }
                role.addToPrincipalPolicy(list.build());
            }
        }
        storage.output().ifPresent(output -> role.addToPrincipalPolicy(statement("WriteOutputObjects",
                List.of("s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"),
                List.of(objectsArn(stack, output)))));
        storage.resultQueueRegionAccountName().ifPresent(queue -> role.addToPrincipalPolicy(statement("SendResults",
                List.of("sqs:SendMessage"),
                List.of("arn:" + stack.getPartition() + ":sqs:" + String.join(":", queue)))));
    }

    /** Objects under a location: {@code arn:aws:s3:::bucket/prefix*}, the whole bucket without a prefix. */
    static String objectsArn(Stack stack, WorkerSpec.S3Location location) {
        return bucketArn(stack, location.bucket()) + "/" + location.prefix() + "*";
    }

    static String bucketArn(Stack stack, String bucket) {
        return "arn:" + stack.getPartition() + ":s3:::" + bucket;
    }

    private static PolicyStatement statement(String sid, List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create().sid(sid).actions(actions).resources(resources).build();
    }
}
