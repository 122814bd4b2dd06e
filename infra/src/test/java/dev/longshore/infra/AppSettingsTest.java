package dev.longshore.infra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
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
        assertTrue(userData.contains("LONGSHORE_DEFAULT_ENV=''\n"), "the GPU flavour requires its GPU");
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
                .get("TargetTrackingConfiguration").get("TargetValue").asInt());
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
    void aDisabledWorkerIsLeftOut() {
        Synth synth = Synth.of("ai.enabled", "false");
        synth.template.resourceCountIs("AWS::AutoScaling::AutoScalingGroup", 2);
        synth.template.resourceCountIs("AWS::SQS::Queue", 4);
        assertTrue(synth.resources("AWS::SQS::Queue", "Ai").isEmpty());
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
