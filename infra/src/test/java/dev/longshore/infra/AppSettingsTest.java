package dev.longshore.infra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/** Settings change the synthesized stack; the committed template is the default settings' synthesis. */
class AppSettingsTest {
    static final Path COMMITTED = Sandbox.REPO_ROOT.resolve("infra/cloudformation/longshore.template.json");

    @Test
    void gpuFlavourBootsTheNvidiaImageAndPassesGpuFlags() {
        Synth synth = Synth.of("ai.gpu", "true");
        JsonNode data = synth.one("AWS::EC2::LaunchTemplate", "Ai").get("LaunchTemplateData");
        assertEquals("g4dn.xlarge", data.get("InstanceType").asText());
        String parameter = data.get("ImageId").get("Ref").asText();
        assertEquals("/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-amazon-linux-2023/latest/ami-id",
                synth.json.get("Parameters").get(parameter).get("Default").asText());
        assertFalse(data.has("BlockDeviceMappings"), "the GPU image's own root volume size");
        String userData = synth.userData("ai");
        assertTrue(userData.contains("LONGSHORE_GPU='true'\n"));
        assertFalse(userData.contains("WORKER_GPU_REQUIRED"), "the GPU flavour requires its GPU");
    }

    @Test
    void aiImageTagAndTasksFileRunTheOperatorsImageWithItsTasks() {
        Synth synth = Synth.of("ai.imageTag", "tasks-1", "ai.tasksFile", "/opt/tasks/tasks.json");
        String ai = synth.userData("ai");
        assertTrue(ai.contains("/longshore/ai:tasks-1'\n"), "the operator's tag in the stack's AI repository: " + ai);
        assertTrue(ai.matches("(?s).*LONGSHORE_DEFAULT_ENV='[^']*WORKER_AI_TASKS=/opt/tasks/tasks.json[^']*'\n.*"), ai);
        String video = synth.userData("video");
        assertFalse(video.contains("tasks-1") || video.contains("WORKER_AI_TASKS"), "the AI worker's only");
        SettingsException e = assertThrows(SettingsException.class, () -> Synth.of("ai.tasksFile", "tasks.json"));
        assertTrue(e.getMessage().contains("ai.tasksFile"), e.getMessage());
        assertThrows(SettingsException.class, () -> Synth.of("video.tasksFile", "/opt/tasks/tasks.json"),
                "only the AI worker has tasks");
    }

    @Test
    void settingsReachGroupsPoliciesHooksAndUserData() {
        Synth synth = Synth.of("video.max", "40", "video.backlogTarget", "15", "video.drainTimeout", "2m",
                "video.lifecycleDrainTimeout", "30m", "video.maxReceiveCount", "3", "messaging.instanceType",
                "t3.small", "imageTag", "3f2c1ab", "metricsNamespace", "Acme", "instanceWarmup", "5m",
                "logRetentionDays", "90", "stackName", "Staging");
        assertEquals(40, synth.one("AWS::AutoScaling::AutoScalingGroup", "Video").get("MaxSize").asInt());
        assertEquals("Staging-video",
                synth.one("AWS::AutoScaling::AutoScalingGroup", "Video").get("AutoScalingGroupName").asText());
        assertEquals(300, synth.one("AWS::AutoScaling::AutoScalingGroup", "Video").get("DefaultInstanceWarmup").asInt());
        assertEquals(15, synth.one("AWS::AutoScaling::ScalingPolicy", "VideoScalingBacklog")
                .get("TargetTrackingConfiguration").get("TargetValue").asInt(), "backlogTarget names the target");
        assertEquals(30 * 60 + 120, synth.one("AWS::AutoScaling::LifecycleHook", "Video").get("HeartbeatTimeout").asInt());
        assertEquals(3, synth.resources("AWS::SQS::Queue", "VideoQueue").values().iterator().next()
                .get("Properties").get("RedrivePolicy").get("maxReceiveCount").asInt());
        assertEquals(90, synth.one("AWS::Logs::LogGroup", "Video").get("RetentionInDays").asInt());
        String userData = synth.userData("video");
        assertTrue(userData.contains("LONGSHORE_DRAIN_TIMEOUT='2m'\n"));
        assertTrue(userData.contains("LONGSHORE_LIFECYCLE_DRAIN_TIMEOUT='30m'\n"));
        assertTrue(userData.contains("/longshore/video:3f2c1ab'\n"));
        assertTrue(userData.contains("LONGSHORE_METRICS_NAMESPACE='Acme'\n"));
        assertTrue(userData.contains("LONGSHORE_ENV_PARAMETER='/Staging/video/env'\n"));
        JsonNode messaging = synth.one("AWS::EC2::LaunchTemplate", "Messaging").get("LaunchTemplateData");
        String parameter = messaging.get("ImageId").get("Ref").asText();
        assertTrue(synth.json.get("Parameters").get(parameter).get("Default").asText().endsWith("-x86_64"),
                "t3 is an x86 type: an x86 image");
        assertTrue(synth.json.toString().contains("\"cloudwatch:namespace\":\"Acme\""));
    }

    @Test
    void concurrencyAndUtilisationSetTheTargetAndReachTheWorker() {
        Synth synth = Synth.of("video.concurrency", "2", "video.utilisation", "1.5", "video.scaleInProtection", "false");
        assertEquals(3.0, synth.one("AWS::AutoScaling::ScalingPolicy", "VideoScalingBacklog")
                .get("TargetTrackingConfiguration").get("TargetValue").asDouble());
        assertTrue(synth.userData("video").contains("LONGSHORE_DEFAULT_ENV='WORKER_CONCURRENCY=2'\n"));
    }

    /** Storage, results, spot, private subnets with endpoints and an alarm e-mail, in one synthesis. */
    @Test
    void storageResultsSpotPrivateSubnetsAndAlarmEmail() {
        Synth synth = Synth.of("video.inputBuckets", "media-in,uploads/raw/", "video.outputBucket", "media-out",
                "video.outputPrefix", "renditions/",
                "video.resultQueueUrl", "https://sqs.eu-west-1.amazonaws.com/123456789012/results",
                "ai.outputBucket", "ai-results",
                "video.spot", "true", "video.instanceTypes", "c7g.large,m7g.large,c6g.large",
                "video.onDemandBaseCapacity", "1",
                "privateSubnets", "true", "alarmEmail", "ops@example.com");

        // Storage: exactly the configured objects, and the worker's allow list is the same list.
        List<JsonNode> video = statements(synth, "Video");
        JsonNode read = LongshoreStackTest.statement(video, "ReadInputObjects");
        assertEquals(List.of("s3:GetObject"), LongshoreStackTest.texts(read.get("Action")));
        assertEquals(List.of("arn::s3:::media-in/*", "arn::s3:::uploads/raw/*"),
                Synth.list(read.get("Resource")).stream().map(LongshoreStackTest::joined).toList());
        JsonNode listWhole = LongshoreStackTest.statement(video, "ListInput1");
        assertEquals("arn::s3:::media-in", LongshoreStackTest.joined(listWhole.get("Resource")));
        assertFalse(listWhole.has("Condition"));
        JsonNode listPrefix = LongshoreStackTest.statement(video, "ListInput2");
        assertEquals("arn::s3:::uploads", LongshoreStackTest.joined(listPrefix.get("Resource")));
        assertEquals(List.of("raw/*"), LongshoreStackTest.texts(listPrefix.get("Condition").get("StringLike").get("s3:prefix")));
        JsonNode write = LongshoreStackTest.statement(video, "WriteOutputObjects");
        assertEquals(List.of("s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"),
                LongshoreStackTest.texts(write.get("Action")));
        assertEquals("arn::s3:::media-out/renditions/*", LongshoreStackTest.joined(write.get("Resource")));
        JsonNode results = LongshoreStackTest.statement(video, "SendResults");
        assertEquals(List.of("sqs:SendMessage"), LongshoreStackTest.texts(results.get("Action")));
        assertEquals("arn::sqs:eu-west-1:123456789012:results", LongshoreStackTest.joined(results.get("Resource")));
        assertTrue(synth.userData("video").contains("WORKER_VIDEO_S3_BUCKETS=media-in,uploads,media-out"
                + " WORKER_RESULT_QUEUE_URL=https://sqs.eu-west-1.amazonaws.com/123456789012/results'\n"),
                synth.userData("video"));
        List<JsonNode> ai = statements(synth, "Ai");
        assertEquals("arn::s3:::ai-results/*",
                LongshoreStackTest.joined(LongshoreStackTest.statement(ai, "WriteOutputObjects").get("Resource")));
        assertTrue(ai.stream().noneMatch(st -> st.path("Sid").asText().startsWith("ReadInput")));
        assertTrue(statements(synth, "Messaging").stream().noneMatch(st -> st.path("Sid").asText().contains("Objects")));

        // Spot: capacity-optimized mixed instances with an on-demand base, and capacity rebalance.
        JsonNode group = synth.one("AWS::AutoScaling::AutoScalingGroup", "Video");
        assertTrue(group.get("CapacityRebalance").asBoolean());
        assertFalse(group.has("LaunchTemplate"), "the launch template is in the mixed instances policy");
        JsonNode mixed = group.get("MixedInstancesPolicy");
        JsonNode distribution = mixed.get("InstancesDistribution");
        assertEquals("capacity-optimized", distribution.get("SpotAllocationStrategy").asText());
        assertEquals(1, distribution.get("OnDemandBaseCapacity").asInt());
        assertEquals(0, distribution.get("OnDemandPercentageAboveBaseCapacity").asInt());
        List<String> types = new ArrayList<>();
        mixed.get("LaunchTemplate").get("Overrides").forEach(o -> types.add(o.get("InstanceType").asText()));
        assertEquals(List.of("c7g.large", "m7g.large", "c6g.large"), types);
        assertFalse(synth.one("AWS::AutoScaling::AutoScalingGroup", "Messaging").has("MixedInstancesPolicy"));

        // Private subnets without a route out, endpoints for every API the instances call, S3 through a gateway.
        synth.template.resourceCountIs("AWS::EC2::InternetGateway", 0);
        synth.template.resourceCountIs("AWS::EC2::NatGateway", 0);
        synth.template.hasResourceProperties("AWS::EC2::Subnet", Map.of("MapPublicIpOnLaunch", false));
        List<String> services = new ArrayList<>();
        synth.resources("AWS::EC2::VPCEndpoint", "").values().forEach(e -> services.add(
                LongshoreStackTest.joined(e.get("Properties").get("ServiceName"))
                        .replaceAll("^com\\.amazonaws\\.", "").replaceAll("^\\.", "")
                        + ":" + e.get("Properties").path("VpcEndpointType").asText("Interface")));
        for (String service : List.of("sqs", "autoscaling", "monitoring", "logs", "ssm", "ssmmessages",
                "ec2messages", "ecr.api", "ecr.dkr")) {
            assertTrue(services.contains(service + ":Interface"), service + " in " + services);
        }
        assertTrue(services.contains("s3:Gateway"), services.toString());
        assertEquals(10, services.size(), services.toString());
        // Only the workers' security group reaches the endpoints, on HTTPS.
        JsonNode ingress = synth.one("AWS::EC2::SecurityGroupIngress", "EndpointSecurityGroup");
        assertEquals(443, ingress.get("FromPort").asInt());
        assertEquals(443, ingress.get("ToPort").asInt());
        assertEquals(synth.logicalId("AWS::EC2::SecurityGroup", "WorkerSecurityGroup"),
                ingress.get("SourceSecurityGroupId").get("Fn::GetAtt").get(0).asText());

        // The alarm topic mails the operator.
        JsonNode subscription = synth.one("AWS::SNS::Subscription", "");
        assertEquals("email", subscription.get("Protocol").asText());
        assertEquals("ops@example.com", subscription.get("Endpoint").asText());
    }

    @Test
    void anExistingVpcSubnetsAndSecurityGroupAreImportedByIdWithoutLookups() {
        Synth synth = Synth.of("vpcId", "vpc-0123456789abcdef0",
                "subnetIds", "subnet-0123456789abcdef0,subnet-0fedcba9876543210",
                "securityGroupId", "sg-0123456789abcdef0", "vpcEndpoints", "true",
                "routeTableIds", "rtb-0123456789abcdef0");
        synth.template.resourceCountIs("AWS::EC2::VPC", 0);
        synth.template.resourceCountIs("AWS::EC2::Subnet", 0);
        synth.template.resourceCountIs("AWS::EC2::SecurityGroup", 1);
        JsonNode group = synth.one("AWS::AutoScaling::AutoScalingGroup", "Video");
        assertEquals(List.of("subnet-0123456789abcdef0", "subnet-0fedcba9876543210"),
                LongshoreStackTest.texts(group.get("VPCZoneIdentifier")));
        JsonNode data = synth.one("AWS::EC2::LaunchTemplate", "Video").get("LaunchTemplateData");
        assertEquals("sg-0123456789abcdef0", data.get("SecurityGroupIds").get(0).asText());
        JsonNode s3 = synth.one("AWS::EC2::VPCEndpoint", "S3Endpoint");
        assertEquals("vpc-0123456789abcdef0", s3.get("VpcId").asText());
        assertEquals(List.of("rtb-0123456789abcdef0"), LongshoreStackTest.texts(s3.get("RouteTableIds")));
        JsonNode sqs = synth.one("AWS::EC2::VPCEndpoint", "SqsEndpoint");
        assertEquals(List.of("subnet-0123456789abcdef0", "subnet-0fedcba9876543210"),
                LongshoreStackTest.texts(sqs.get("SubnetIds")));
        synth.template.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Map.of(
                "SourceSecurityGroupId", "sg-0123456789abcdef0", "FromPort", 443, "ToPort", 443));
    }

    @Test
    void aTypoInASettingsKeyFailsTheSynthesisNamingTheKnownKeysCloseToIt() {
        SettingsException e = assertThrows(SettingsException.class, () -> LongshoreApp.build(
                new App(AppProps.builder().context(Map.of("vidoe.max", "3")).build())));
        assertEquals("setting vidoe.max is unknown; known keys close to it: video.max, ai.max, messaging.max",
                e.getMessage());
    }

    @Test
    void aDisabledWorkerIsLeftOut() {
        Synth synth = Synth.of("ai.enabled", "false");
        synth.template.resourceCountIs("AWS::AutoScaling::AutoScalingGroup", 2);
        synth.template.resourceCountIs("AWS::SQS::Queue", 4);
        assertTrue(synth.resources("AWS::SQS::Queue", "Ai").isEmpty());
    }

    private static List<JsonNode> statements(Synth synth, String id) {
        List<JsonNode> statements = new ArrayList<>();
        synth.one("AWS::IAM::Policy", id).get("PolicyDocument").get("Statement").forEach(statements::add);
        return statements;
    }

    @Test
    void committedTemplateIsTheDefaultSynthesis(@TempDir Path out) throws Exception {
        App app = new App(AppProps.builder().outdir(out.toString()).context(Map.of()).build());
        LongshoreApp.build(app);
        app.synth();
        byte[] fresh = Files.readAllBytes(out.resolve("Longshore.template.json"));
        assertTrue(Files.exists(COMMITTED), "missing " + COMMITTED + ": run scripts/synth");
        assertArrayEquals(fresh, Files.readAllBytes(COMMITTED),
                COMMITTED + " is stale: run scripts/synth and commit the result");
    }
}
