package dev.longshore.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awscdk.assertions.Match;

/** CDK assertions on the template synthesized with the default settings (the fleet design). */
class LongshoreStackTest {
    static Synth synth;

    @BeforeAll
    static void synthesize() {
        synth = Synth.of();
    }

    @ParameterizedTest
    @CsvSource({"Messaging, messaging", "Video, video", "Ai, ai"})
    void everyWorkerHasAQueueWithRedriveToItsDeadLetterQueue(String id, String worker) {
        String deadLetterId = synth.logicalId("AWS::SQS::Queue", id + "DeadLetterQueue");
        JsonNode deadLetter = synth.one("AWS::SQS::Queue", id + "DeadLetterQueue");
        assertEquals(1_209_600, deadLetter.get("MessageRetentionPeriod").asInt(), "14 days for dead letters");
        JsonNode queue = synth.resources("AWS::SQS::Queue", id + "Queue").values().iterator().next().get("Properties");
        assertEquals(345_600, queue.get("MessageRetentionPeriod").asInt());
        assertTrue(deadLetter.get("MessageRetentionPeriod").asInt() > queue.get("MessageRetentionPeriod").asInt());
        assertEquals(5, queue.get("RedrivePolicy").get("maxReceiveCount").asInt());
        assertEquals(deadLetterId, queue.get("RedrivePolicy").get("deadLetterTargetArn").get("Fn::GetAtt").get(0).asText());
        assertTrue(queue.get("SqsManagedSseEnabled").asBoolean());
        assertTrue(deadLetter.get("SqsManagedSseEnabled").asBoolean());
    }

    @Test
    void sixQueuesThreeGroupsThreeHooksThreeLogGroups() {
        synth.template.resourceCountIs("AWS::SQS::Queue", 6);
        synth.template.resourceCountIs("AWS::AutoScaling::AutoScalingGroup", 3);
        synth.template.resourceCountIs("AWS::AutoScaling::LifecycleHook", 3);
        synth.template.resourceCountIs("AWS::EC2::LaunchTemplate", 3);
        synth.template.resourceCountIs("AWS::Logs::LogGroup", 3);
        synth.template.resourceCountIs("AWS::IAM::Role", 3);
        synth.template.resourceCountIs("AWS::EC2::NatGateway", 0);
        // Nothing that needs a CDK bootstrap: no assets, no custom-resource Lambda, no bootstrap version rule.
        synth.template.resourceCountIs("AWS::Lambda::Function", 0);
        assertFalse(synth.json.has("Rules"), "no bootstrap version rule");
        assertEquals("Longshore", synth.json.get("Metadata").get("Longshore").get("StackName").asText());
        assertEquals(FleetSpec.DEFAULT_IMAGE_TAG, synth.json.get("Metadata").get("Longshore").get("ImageTag").asText(),
                "scripts read the pinned tag from here");
    }

    @ParameterizedTest
    @CsvSource({
            "Messaging, messaging, 1, 10, t4g.small",
            "Video, video, 0, 20, t4g.medium",
            "Ai, ai, 0, 10, t4g.small"})
    void groupsFollowTheFleetDesign(String id, String worker, int min, int max, String instanceType) {
        JsonNode group = synth.one("AWS::AutoScaling::AutoScalingGroup", id);
        assertEquals("Longshore-" + worker, group.get("AutoScalingGroupName").asText());
        assertEquals(min, group.get("MinSize").asInt());
        assertEquals(max, group.get("MaxSize").asInt());
        assertFalse(group.has("DesiredCapacity"), "desired capacity is left to scaling");
        assertEquals("1Minute", group.get("MetricsCollection").get(0).get("Granularity").asText());
        assertFalse(group.get("MetricsCollection").get(0).has("Metrics"), "all group metrics, InService included");
        assertEquals("EC2", group.get("HealthCheckType").asText());
        assertEquals(300, group.get("HealthCheckGracePeriod").asInt());
        assertEquals(180, group.get("DefaultInstanceWarmup").asInt());
        assertEquals(synth.logicalId("AWS::EC2::LaunchTemplate", id),
                group.get("LaunchTemplate").get("LaunchTemplateId").get("Ref").asText());
        JsonNode template = synth.one("AWS::EC2::LaunchTemplate", id).get("LaunchTemplateData");
        assertEquals(instanceType, template.get("InstanceType").asText());
    }

    @ParameterizedTest
    @CsvSource({"Messaging", "Video", "Ai"})
    void launchTemplatesRequireImdsV2WithHopLimitTwo(String id) {
        JsonNode data = synth.one("AWS::EC2::LaunchTemplate", id).get("LaunchTemplateData");
        JsonNode metadata = data.get("MetadataOptions");
        assertEquals("required", metadata.get("HttpTokens").asText());
        assertEquals(2, metadata.get("HttpPutResponseHopLimit").asInt());
        assertEquals("enabled", metadata.get("HttpEndpoint").asText());
        String profile = synth.logicalId("AWS::IAM::InstanceProfile", id);
        assertEquals(profile, data.get("IamInstanceProfile").get("Arn").get("Fn::GetAtt").get(0).asText());
        assertEquals(synth.logicalId("AWS::IAM::Role", id),
                synth.one("AWS::IAM::InstanceProfile", id).get("Roles").get(0).get("Ref").asText());
        JsonNode volume = data.get("BlockDeviceMappings").get(0).get("Ebs");
        assertTrue(volume.get("Encrypted").asBoolean());
        assertEquals("gp3", volume.get("VolumeType").asText());
    }

    @Test
    void gravitonTypesBootArm64AmazonLinux2023() {
        JsonNode data = synth.one("AWS::EC2::LaunchTemplate", "Messaging").get("LaunchTemplateData");
        String parameter = data.get("ImageId").get("Ref").asText();
        String ssmName = synth.json.get("Parameters").get(parameter).get("Default").asText();
        assertTrue(ssmName.startsWith("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-"), ssmName);
        assertTrue(ssmName.endsWith("-arm64"), ssmName);
    }

    @ParameterizedTest
    @CsvSource({"Messaging, messaging", "Video, video", "Ai, ai"})
    void lifecycleHookHoldsTerminatingInstancesForTheDrain(String id, String worker) {
        JsonNode hook = synth.one("AWS::AutoScaling::LifecycleHook", id);
        assertEquals("autoscaling:EC2_INSTANCE_TERMINATING", hook.get("LifecycleTransition").asText());
        assertEquals("CONTINUE", hook.get("DefaultResult").asText());
        assertEquals("longshore-drain", hook.get("LifecycleHookName").asText());
        assertEquals(15 * 60 + 120, hook.get("HeartbeatTimeout").asInt(), "15m lifecycle drain + 2m margin");
        assertEquals(synth.logicalId("AWS::AutoScaling::AutoScalingGroup", id),
                hook.get("AutoScalingGroupName").get("Ref").asText());
        assertTrue(synth.userData(worker).contains("LONGSHORE_HOOK_NAME='longshore-drain'\n"));
    }

    @ParameterizedTest
    @CsvSource({"Messaging, 25.6", "Video, 0.8", "Ai, 0.8"})
    void targetTrackingCountsWorkInFlightAgainstConcurrencyTimesUtilisation(String id, double target) {
        Map<String, JsonNode> policies = synth.resources("AWS::AutoScaling::ScalingPolicy", id + "ScalingBacklog");
        assertEquals(1, policies.size());
        JsonNode policy = policies.values().iterator().next().get("Properties");
        assertEquals("TargetTrackingScaling", policy.get("PolicyType").asText());
        String group = synth.logicalId("AWS::AutoScaling::AutoScalingGroup", id);
        assertEquals(group, policy.get("AutoScalingGroupName").get("Ref").asText());
        JsonNode config = policy.get("TargetTrackingConfiguration");
        assertEquals(target, config.get("TargetValue").asDouble(), "worker concurrency (32, 1, 1) x 0.8");
        JsonNode metrics = config.get("CustomizedMetricSpecification").get("Metrics");
        assertEquals(4, metrics.size());
        String queue = synth.resources("AWS::SQS::Queue", id + "Queue").keySet().iterator().next();
        List<String> sqsMetrics = List.of("ApproximateNumberOfMessagesVisible", "ApproximateNumberOfMessagesNotVisible");
        for (int i = 0; i < 2; i++) {
            JsonNode m = metrics.get(i);
            assertEquals("m" + (i + 1), m.get("Id").asText());
            assertEquals("AWS/SQS", m.get("MetricStat").get("Metric").get("Namespace").asText());
            assertEquals(sqsMetrics.get(i), m.get("MetricStat").get("Metric").get("MetricName").asText());
            assertEquals("Sum", m.get("MetricStat").get("Stat").asText());
            JsonNode queueDimension = m.get("MetricStat").get("Metric").get("Dimensions").get(0);
            assertEquals("QueueName", queueDimension.get("Name").asText());
            assertEquals(queue, queueDimension.get("Value").get("Fn::GetAtt").get(0).asText());
            assertFalse(m.get("ReturnData").asBoolean());
        }
        JsonNode inService = metrics.get(2);
        assertEquals("m3", inService.get("Id").asText());
        assertEquals("AWS/AutoScaling", inService.get("MetricStat").get("Metric").get("Namespace").asText());
        assertEquals("GroupInServiceInstances", inService.get("MetricStat").get("Metric").get("MetricName").asText());
        assertEquals(group, inService.get("MetricStat").get("Metric").get("Dimensions").get(0).get("Value").get("Ref").asText());
        JsonNode work = metrics.get(3);
        assertEquals("(m1 + m2) / m3", work.get("Expression").asText());
        assertTrue(work.get("ReturnData").asBoolean());
    }

    @ParameterizedTest
    @CsvSource({"messaging, 32", "video, 1", "ai, 1"})
    void busyInstancesProtectThemselvesFromScaleInWithTheConcurrencyTheTargetAssumes(String worker, int concurrency) {
        String userData = synth.userData(worker);
        assertTrue(userData.contains("LONGSHORE_DEFAULT_ENV='WORKER_CONCURRENCY=" + concurrency
                + " WORKER_SCALE_IN_PROTECTION=true"), userData.lines().filter(l -> l.startsWith("LONGSHORE_DEFAULT_ENV"))
                .findFirst().orElse("no LONGSHORE_DEFAULT_ENV"));
        String id = Character.toUpperCase(worker.charAt(0)) + worker.substring(1);
        JsonNode lifecycle = statement(statements(id), "LifecycleOfOwnGroup");
        assertTrue(texts(lifecycle.get("Action")).contains("autoscaling:SetInstanceProtection"));
        assertTrue(joined(lifecycle.get("Resource")).endsWith(":autoScalingGroupName/Longshore-" + worker));
    }

    @Test
    void onlyGroupsThatMayBeEmptyGetTheZeroToOnePolicy() {
        assertTrue(synth.resources("AWS::AutoScaling::ScalingPolicy", "MessagingScalingZeroToOne").isEmpty());
        assertTrue(synth.resources("AWS::CloudWatch::Alarm", "MessagingScaling").isEmpty());
        for (String id : List.of("Video", "Ai")) {
            String policyId = synth.logicalId("AWS::AutoScaling::ScalingPolicy", id + "ScalingZeroToOne");
            JsonNode policy = synth.one("AWS::AutoScaling::ScalingPolicy", id + "ScalingZeroToOne");
            assertEquals("StepScaling", policy.get("PolicyType").asText());
            assertEquals("ChangeInCapacity", policy.get("AdjustmentType").asText());
            assertEquals(1, policy.get("StepAdjustments").get(0).get("ScalingAdjustment").asInt());
            assertEquals(0, policy.get("StepAdjustments").get(0).get("MetricIntervalLowerBound").asInt());
            JsonNode alarm = synth.one("AWS::CloudWatch::Alarm", id + "Scaling");
            assertEquals(policyId, alarm.get("AlarmActions").get(0).get("Fn::GetAtt").get(0).asText());
            assertEquals("GreaterThanOrEqualToThreshold", alarm.get("ComparisonOperator").asText());
            assertEquals(1, alarm.get("Threshold").asInt());
            assertEquals(1, alarm.get("EvaluationPeriods").asInt());
            assertEquals(1, alarm.get("DatapointsToAlarm").asInt());
            assertTrue(joined(alarm.get("AlarmDescription")).contains(" while the group wants no instance: add the first one"));
            JsonNode metrics = alarm.get("Metrics");
            assertEquals(3, metrics.size());
            String queue = synth.logicalId("AWS::SQS::Queue", id + "Queue");
            JsonNode visible = query(metrics, "m1");
            assertEquals("AWS/SQS", visible.get("MetricStat").get("Metric").get("Namespace").asText());
            assertEquals("ApproximateNumberOfMessagesVisible", visible.get("MetricStat").get("Metric").get("MetricName").asText());
            JsonNode queueDimension = visible.get("MetricStat").get("Metric").get("Dimensions").get(0);
            assertEquals("QueueName", queueDimension.get("Name").asText());
            assertEquals(queue, queueDimension.get("Value").get("Fn::GetAtt").get(0).asText());
            JsonNode desired = query(metrics, "m2");
            assertEquals("AWS/AutoScaling", desired.get("MetricStat").get("Metric").get("Namespace").asText());
            assertEquals("GroupDesiredCapacity", desired.get("MetricStat").get("Metric").get("MetricName").asText());
            JsonNode groupDimension = desired.get("MetricStat").get("Metric").get("Dimensions").get(0);
            assertEquals("AutoScalingGroupName", groupDimension.get("Name").asText());
            assertEquals(synth.logicalId("AWS::AutoScaling::AutoScalingGroup", id), groupDimension.get("Value").get("Ref").asText());
            for (JsonNode m : List.of(visible, desired)) {
                assertEquals(60, m.get("MetricStat").get("Period").asInt());
                assertEquals("Maximum", m.get("MetricStat").get("Stat").asText());
                assertFalse(m.get("ReturnData").asBoolean());
            }
            // The CDK names the expression itself (expr_1); what matters is that it is the one query returned.
            List<JsonNode> returned = new ArrayList<>();
            metrics.forEach(m -> {
                if (m.get("ReturnData").asBoolean()) {
                    returned.add(m);
                }
            });
            assertEquals(1, returned.size(), metrics.toString());
            assertEquals("IF(FILL(m2, 0) < 1, m1, 0)", returned.get(0).get("Expression").asText());
            assertEquals("notBreaching", alarm.get("TreatMissingData").asText());
        }
    }

    /** Actions AWS does not scope to a resource: "*" is the only resource they accept. */
    static final Set<String> UNSCOPED_ACTIONS = Set.of("ecr:GetAuthorizationToken", "cloudwatch:PutMetricData");

    @Test
    void instancePoliciesNameEveryActionAndScopeEveryResourceThatCanBe() {
        Map<String, JsonNode> policies = synth.resources("AWS::IAM::Policy", "");
        assertEquals(3, policies.size());
        for (Map.Entry<String, JsonNode> policy : policies.entrySet()) {
            for (JsonNode statement : policy.getValue().get("Properties").get("PolicyDocument").get("Statement")) {
                assertEquals("Allow", statement.get("Effect").asText());
                List<String> actions = Synth.list(statement.get("Action")).stream().map(JsonNode::asText).toList();
                for (String action : actions) {
                    assertFalse(action.contains("*"), policy.getKey() + " allows " + action);
                }
                boolean starResource = Synth.list(statement.get("Resource")).stream()
                        .anyMatch(r -> r.isTextual() && r.asText().contains("*"));
                if (starResource) {
                    assertTrue(UNSCOPED_ACTIONS.containsAll(actions), policy.getKey() + ": " + actions + " on *");
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"Messaging, messaging", "Video, video", "Ai, ai"})
    void eachRoleReachesOnlyItsOwnQueuesGroupParameterImageAndLogs(String id, String worker) {
        JsonNode policy = synth.one("AWS::IAM::Policy", id);
        assertEquals(synth.logicalId("AWS::IAM::Role", id), policy.get("Roles").get(0).get("Ref").asText());
        List<JsonNode> statements = new ArrayList<>();
        policy.get("PolicyDocument").get("Statement").forEach(statements::add);
        String queue = synth.resources("AWS::SQS::Queue", id + "Queue").keySet().iterator().next();
        String deadLetter = synth.logicalId("AWS::SQS::Queue", id + "DeadLetterQueue");

        JsonNode sqs = statement(statements, "ConsumeOwnQueues");
        assertEquals(List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
                "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"), texts(sqs.get("Action")));
        assertEquals(List.of(queue, deadLetter), Synth.list(sqs.get("Resource")).stream()
                .map(r -> r.get("Fn::GetAtt").get(0).asText()).toList());

        JsonNode lifecycle = statement(statements, "LifecycleOfOwnGroup");
        assertEquals(List.of("autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat",
                "autoscaling:SetInstanceHealth", "autoscaling:SetInstanceProtection"), texts(lifecycle.get("Action")));
        assertTrue(joined(lifecycle.get("Resource")).endsWith(
                ":autoScalingGroup:*:autoScalingGroupName/Longshore-" + worker), joined(lifecycle.get("Resource")));

        JsonNode ssm = statement(statements, "ReadOwnEnvParameter");
        assertEquals(List.of("ssm:GetParameter"), texts(ssm.get("Action")));
        assertTrue(joined(ssm.get("Resource")).endsWith(":parameter/Longshore/" + worker + "/env"));

        JsonNode pull = statement(statements, "PullOwnImage");
        assertEquals(List.of("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"),
                texts(pull.get("Action")));
        assertTrue(joined(pull.get("Resource")).endsWith(":repository/longshore/" + worker));

        JsonNode logs = statement(statements, "ShipLogs");
        assertEquals(List.of("logs:CreateLogStream", "logs:PutLogEvents"), texts(logs.get("Action")));
        assertEquals(synth.logicalId("AWS::Logs::LogGroup", id), logs.get("Resource").get("Fn::GetAtt").get(0).asText());

        JsonNode metrics = statement(statements, "PublishMetricsInNamespace");
        assertEquals(List.of("cloudwatch:PutMetricData"), texts(metrics.get("Action")));
        assertEquals("Longshore", metrics.get("Condition").get("StringEquals").get("cloudwatch:namespace").asText());

        assertEquals(List.of("ecr:GetAuthorizationToken"), texts(statement(statements, "LogInToRegistry").get("Action")));
        assertEquals(7, statements.size(), "nothing else is allowed");
    }

    @ParameterizedTest
    @CsvSource({"Messaging, messaging", "Video, video", "Ai, ai"})
    void logGroupPerWorkerWithRetention(String id, String worker) {
        JsonNode logs = synth.one("AWS::Logs::LogGroup", id);
        assertEquals("/longshore/Longshore/" + worker, logs.get("LogGroupName").asText());
        assertEquals(30, logs.get("RetentionInDays").asInt());
        synth.template.hasResource("AWS::Logs::LogGroup", Map.of(
                "Properties", Map.of("LogGroupName", "/longshore/Longshore/" + worker),
                "DeletionPolicy", "Delete"));
    }

    @ParameterizedTest
    @CsvSource({"messaging", "video", "ai"})
    void userDataCarriesWhatTheStackKnowsAndFitsEc2sLimit(String worker) {
        String userData = synth.userData(worker);
        assertTrue(userData.startsWith("#!/usr/bin/env bash\n"));
        assertTrue(userData.contains("LONGSHORE_WORKER='" + worker + "'\n"));
        assertTrue(userData.contains("LONGSHORE_REGION='ap-southeast-2'\n"));
        assertTrue(userData.contains("LONGSHORE_IMAGE='123456789012.dkr.ecr.ap-southeast-2.amazonaws.com/longshore/"
                + worker + ":" + FleetSpec.DEFAULT_IMAGE_TAG + "'\n"), "the build version, never latest");
        assertFalse(userData.contains(":latest'"));
        assertTrue(userData.contains("LONGSHORE_QUEUE_URL='https://sqs.ap-southeast-2.amazonaws.com/"));
        assertTrue(userData.contains("LONGSHORE_ASG_NAME='Longshore-" + worker + "'\n"));
        assertTrue(userData.contains("LONGSHORE_ENV_PARAMETER='/Longshore/" + worker + "/env'\n"));
        assertTrue(userData.contains("LONGSHORE_LOG_GROUP='/longshore/Longshore/" + worker + "'\n"));
        assertTrue(userData.contains("LONGSHORE_DRAIN_TIMEOUT='30s'\n"));
        assertTrue(userData.contains("LONGSHORE_LIFECYCLE_DRAIN_TIMEOUT='15m'\n"));
        assertTrue(userData.contains("LONGSHORE_GPU='false'\n"));
        assertTrue(userData.contains("--restart no"), "the script's body follows");
        int bytes = userData.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(bytes < WorkerUserData.MAX_BYTES, "user data is " + bytes + " bytes");
    }

    @Test
    void cpuFlavourOfTheAiWorkerDoesNotWaitForAGpu() {
        assertTrue(synth.userData("ai").contains(
                "LONGSHORE_DEFAULT_ENV='WORKER_CONCURRENCY=1 WORKER_SCALE_IN_PROTECTION=true WORKER_GPU_REQUIRED=false'\n"));
        assertTrue(synth.userData("video").contains(
                "LONGSHORE_DEFAULT_ENV='WORKER_CONCURRENCY=1 WORKER_SCALE_IN_PROTECTION=true'\n"));
    }

    @Test
    void instancesTakeNoInboundTraffic() {
        JsonNode group = synth.one("AWS::EC2::SecurityGroup", "WorkerSecurityGroup");
        assertFalse(group.has("SecurityGroupIngress"));
        synth.template.resourceCountIs("AWS::EC2::SecurityGroupIngress", 0);
        synth.template.hasResourceProperties("AWS::EC2::Subnet", Map.of("MapPublicIpOnLaunch", true));
    }

    @Test
    void outputsNameTheQueuesGroupsParametersAndLogGroups() {
        synth.template.hasOutput("*", Map.of("Value", Map.of("Ref", Match.stringLikeRegexp("MessagingQueue.*"))));
        synth.template.hasOutput("*", Map.of("Value", "/Longshore/video/env"));
        synth.template.hasOutput("*", Map.of("Value", Map.of("Ref", Match.stringLikeRegexp("AiGroupASG.*"))));
        synth.template.hasOutput("AlarmTopicArn", Map.of("Value", Map.of("Ref", synth.logicalId("AWS::SNS::Topic", "AlarmTopic"))));
        assertEquals(17, synth.json.get("Outputs").size());
    }

    @ParameterizedTest
    @CsvSource({"Messaging, messaging", "Video, video", "Ai, ai"})
    void everyWorkerAlarmsToTheOneTopicOnDeadLettersAgeRestartsPausesAndLifecycleFailures(String id, String worker) {
        String topic = synth.logicalId("AWS::SNS::Topic", "AlarmTopic");
        String group = "Longshore-" + worker;
        Map<String, JsonNode> alarms = synth.resources("AWS::CloudWatch::Alarm", id + "Alarms");
        assertEquals("ai".equals(worker) ? 6 : 5, alarms.size(), alarms.keySet().toString());
        for (JsonNode alarm : alarms.values()) {
            assertEquals(topic, alarm.get("Properties").get("AlarmActions").get(0).get("Ref").asText());
            assertEquals(topic, alarm.get("Properties").get("OKActions").get(0).get("Ref").asText());
        }
        // Fixed names: scripts/lib/aws.sh names RestartLoop and Paused in an instance refresh without reading the
        // stack (docs/deploy.md: Releases).
        Set<String> names = new java.util.TreeSet<>();
        alarms.values().forEach(a -> names.add(a.get("Properties").get("AlarmName").asText()));
        Set<String> expected = new java.util.TreeSet<>(Set.of(group + "-DeadLetters", group + "-OldestMessage",
                group + "-RestartLoop", group + "-Paused", group + "-LifecycleActionFailures"));
        if ("ai".equals(worker)) {
            expected.add(group + "-GpuFailures");
        }
        assertEquals(expected, names);

        JsonNode dead = synth.one("AWS::CloudWatch::Alarm", id + "AlarmsDeadLetters");
        assertEquals("ApproximateNumberOfMessagesVisible", dead.get("MetricName").asText());
        assertEquals(synth.logicalId("AWS::SQS::Queue", id + "DeadLetterQueue"),
                dead.get("Dimensions").get(0).get("Value").get("Fn::GetAtt").get(0).asText());
        assertEquals("GreaterThanThreshold", dead.get("ComparisonOperator").asText());
        assertEquals(0, dead.get("Threshold").asInt());

        JsonNode age = synth.one("AWS::CloudWatch::Alarm", id + "AlarmsOldestMessage");
        assertEquals("ApproximateAgeOfOldestMessage", age.get("MetricName").asText());
        assertEquals(3600, age.get("Threshold").asInt(), "maxMessageAge 1h");

        JsonNode restarts = synth.one("AWS::CloudWatch::Alarm", id + "AlarmsRestartLoop");
        assertEquals("Longshore", restarts.get("Namespace").asText());
        assertEquals("WorkerRestarts", restarts.get("MetricName").asText());
        assertEquals("AutoScalingGroupName", restarts.get("Dimensions").get(0).get("Name").asText());
        assertEquals(group, restarts.get("Dimensions").get(0).get("Value").asText());
        assertEquals(3, restarts.get("Threshold").asInt());
        assertEquals(900, restarts.get("Period").asInt());

        JsonNode paused = synth.one("AWS::CloudWatch::Alarm", id + "AlarmsPaused");
        assertEquals("WorkerState", paused.get("MetricName").asText(), "worker-core CloudWatchDatums");
        assertEquals(List.of("AutoScalingGroupName=" + group, "State=PAUSED", "WorkerName=" + worker),
                dimensions(paused));

        JsonNode lifecycle = synth.one("AWS::CloudWatch::Alarm", id + "AlarmsLifecycleActionFailures");
        assertEquals("LifecycleActionFailures/" + group, lifecycle.get("MetricName").asText());
        JsonNode filter = synth.one("AWS::Logs::MetricFilter", id + "AlarmsLifecycleActionFailures");
        assertEquals(synth.logicalId("AWS::Logs::LogGroup", id), filter.get("LogGroupName").get("Ref").asText());
        assertEquals("?\"CompleteLifecycleAction failed\" ?\"cannot complete lifecycle action\" "
                + "?\"RecordLifecycleActionHeartbeat failed\"", filter.get("FilterPattern").asText());
        assertEquals("LifecycleActionFailures/" + group,
                filter.get("MetricTransformations").get(0).get("MetricName").asText());
    }

    @Test
    void theAiWorkerAlarmsOnGpuFailuresItLogs() {
        JsonNode filter = synth.one("AWS::Logs::MetricFilter", "AiAlarmsGpuFailures");
        assertEquals("?\"GPU failure on\" ?\"declaring this instance unhealthy\"", filter.get("FilterPattern").asText());
        JsonNode alarm = synth.one("AWS::CloudWatch::Alarm", "AiAlarmsGpuFailures");
        assertEquals("GpuFailures/Longshore-ai", alarm.get("MetricName").asText());
        assertTrue(synth.resources("AWS::CloudWatch::Alarm", "VideoAlarmsGpu").isEmpty());
    }

    @Test
    void oneDashboardShowsEachWorkersWorkTargetInstancesInFlightOutcomesAndDeadLetters() {
        JsonNode dashboard = synth.one("AWS::CloudWatch::Dashboard", "Dashboard");
        assertEquals("Longshore", dashboard.get("DashboardName").asText());
        String body = joined(dashboard.get("DashboardBody"));
        for (String worker : List.of("messaging", "video", "ai")) {
            assertTrue(body.contains("## " + worker + " (Longshore-" + worker + ")"), body);
        }
        for (String title : List.of("Work per instance and target", "Instances", "Jobs in flight",
                "Outcomes per minute", "Dead-letter queue")) {
            assertEquals(3, body.split("\"title\":\"" + title + "\"", -1).length - 1, title);
        }
        assertTrue(body.contains("\"expression\":\"(m1 + m2) / m3\""));
        assertTrue(body.contains("\"value\":25.6,\"label\":\"target\""), "messaging's target line");
        assertTrue(body.contains("\"InflightMessages\""));
        assertTrue(body.contains("\"MessagesProcessed\",\"AutoScalingGroupName\",\"Longshore-video\",\"Outcome\",\"dead\",\"WorkerName\",\"video\""),
                body);
        assertTrue(body.contains("\"GroupInServiceInstances\""));
    }

    @ParameterizedTest
    @CsvSource({"Messaging, 3, 1", "Video, 5, 0", "Ai, 3, 0"})
    void aNewLaunchTemplateRollsOutInQuarterBatchesWithAPauseAfterEach(String id, int batch, int inService) {
        JsonNode group = synth.resources("AWS::AutoScaling::AutoScalingGroup", id).values().iterator().next();
        JsonNode rolling = group.get("UpdatePolicy").get("AutoScalingRollingUpdate");
        assertEquals(batch, rolling.get("MaxBatchSize").asInt());
        assertEquals(inService, rolling.get("MinInstancesInService").asInt());
        assertEquals("PT5M", rolling.get("PauseTime").asText());
        JsonNode notifications = group.get("Properties").get("NotificationConfigurations").get(0);
        assertEquals(synth.logicalId("AWS::SNS::Topic", "AlarmTopic"), notifications.get("TopicARN").get("Ref").asText());
        assertEquals(List.of("autoscaling:EC2_INSTANCE_LAUNCH_ERROR", "autoscaling:EC2_INSTANCE_TERMINATE_ERROR"),
                texts(notifications.get("NotificationTypes")));
    }

    @ParameterizedTest
    @CsvSource({"Messaging", "Video", "Ai"})
    void instancesAreReachableWithSessionManager(String id) {
        JsonNode role = synth.one("AWS::IAM::Role", id);
        assertEquals("arn::iam::aws:policy/AmazonSSMManagedInstanceCore", joined(role.get("ManagedPolicyArns").get(0)));
    }

    private static JsonNode query(JsonNode metrics, String id) {
        for (JsonNode m : metrics) {
            if (id.equals(m.get("Id").asText())) {
                return m;
            }
        }
        throw new AssertionError("no query " + id + " in " + metrics);
    }

    private static List<String> dimensions(JsonNode alarm) {
        List<String> out = new ArrayList<>();
        alarm.get("Dimensions").forEach(d -> out.add(d.get("Name").asText() + "=" + d.get("Value").asText()));
        return out;
    }

    private static List<JsonNode> statements(String id) {
        List<JsonNode> statements = new ArrayList<>();
        synth.one("AWS::IAM::Policy", id).get("PolicyDocument").get("Statement").forEach(statements::add);
        return statements;
    }

    static JsonNode statement(List<JsonNode> statements, String sid) {
        return statements.stream().filter(s -> sid.equals(s.path("Sid").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no statement " + sid));
    }

    static List<String> texts(JsonNode node) {
        return Synth.list(node).stream().map(JsonNode::asText).toList();
    }

    /** The literal parts of an Fn::Join (references dropped), or the text itself. */
    static String joined(JsonNode node) {
        if (node.isTextual()) {
            return node.asText();
        }
        StringBuilder out = new StringBuilder();
        node.get("Fn::Join").get(1).forEach(p -> out.append(p.isTextual() ? p.asText() : ""));
        return out.toString();
    }
}
