package dev.longshore.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading and validating the fleet settings (CDK context), without synthesizing. */
class FleetSpecTest {
    static FleetSpec read(Object... settings) {
        Map<String, Object> context = new HashMap<>();
        for (int i = 0; i < settings.length; i += 2) {
            context.put((String) settings[i], settings[i + 1]);
        }
        return FleetSpec.read(new Settings(context::get));
    }

    static WorkerSpec worker(FleetSpec fleet, String name) {
        return fleet.workers().stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void defaultsAreTheFleetDesign() {
        FleetSpec fleet = read();
        assertEquals("Longshore", fleet.stackName());
        assertEquals(FleetSpec.DEFAULT_IMAGE_TAG, fleet.imageTag());
        assertTrue(fleet.imageTag().matches("\\d+\\.\\d+\\.\\d+.*"), "the build version: " + fleet.imageTag());
        WorkerSpec messaging = worker(fleet, "messaging");
        assertEquals(1, messaging.minSize());
        assertEquals(10, messaging.maxSize());
        assertEquals("t4g.small", messaging.instanceType());
        WorkerSpec video = worker(fleet, "video");
        assertEquals(0, video.minSize());
        assertEquals(20, video.maxSize());
        assertEquals("t4g.medium", video.instanceType());
        WorkerSpec ai = worker(fleet, "ai");
        assertEquals(0, ai.minSize());
        assertEquals(10, ai.maxSize());
        assertFalse(ai.gpu());
        assertEquals(1, ai.scaling().concurrency());
        assertEquals(0.8, ai.scaling().target());
        assertEquals(25.6, messaging.scaling().target(), "32 slots x 0.8");
        assertTrue(messaging.scaling().scaleInProtection());
        assertFalse(video.capacity().mixed());
        assertEquals(List.of(), video.storage().all());
        assertEquals(Duration.ofHours(1), video.alarms().maxMessageAge());
        assertEquals(5, video.updates().batchSize(), "a quarter of max 20");
        assertEquals(0, messaging.updates().minInstancesInService() - 1, "messaging keeps its one instance");
        assertEquals(Duration.ofMinutes(15), ai.lifecycleDrainTimeout());
        assertEquals(Duration.ofSeconds(300), ai.healthCheckGracePeriod());
    }

    @Test
    void settingsOverrideTheDesignAndAcceptCdkJsonNumbers() {
        FleetSpec fleet = read("video.max", 40.0, "video.min", "2", "video.backlogTarget", "15",
                "video.instanceType", "c7g.large", "video.maxReceiveCount", 3, "video.lifecycleDrainTimeout", "45m",
                "video.healthCheckGracePeriod", "600", "imageTag", "3f2c1ab", "stackName", "Staging");
        WorkerSpec video = worker(fleet, "video");
        assertEquals(2, video.minSize());
        assertEquals(40, video.maxSize());
        assertEquals(15.0, video.scaling().target(), "backlogTarget names the target itself");
        assertEquals("c7g.large", video.instanceType());
        assertEquals(3, video.maxReceiveCount());
        assertEquals(Duration.ofMinutes(45), video.lifecycleDrainTimeout());
        assertEquals(Duration.ofSeconds(600), video.healthCheckGracePeriod());
        assertEquals("/Staging/video/env", fleet.envParameterName(video));
        assertEquals("Staging-video", fleet.autoScalingGroupName(video));
        assertEquals("/longshore/Staging/video", fleet.logGroupName(video));
    }

    @Test
    void gpuFlavourPicksAGpuTypeAndItsOwnRootVolume() {
        WorkerSpec ai = worker(read("ai.gpu", "true"), "ai");
        assertTrue(ai.gpu());
        assertEquals("g4dn.xlarge", ai.instanceType());
        assertEquals(Optional.empty(), ai.rootVolumeGiB());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # key                        | value     | what the error says is expected
            video.max                    | abc       | a whole number from 1 to 1000
            video.max                    | 0         | a whole number from 1 to 1000
            messaging.min                | -1        | a whole number from 0 to 1000
            ai.gpu                       | yes       | true or false
            video.healthCheckGracePeriod | 601       | a duration such as 30s, 5m or 1h, from 0s to 10m
            video.drainTimeout           | soon      | a duration such as 30s, 5m or 1h, from 0s to 1h
            messaging.instanceType       | T4G SMALL | an EC2 instance type such as t4g.small
            stackName                    | my stack  | a CloudFormation stack name (letters, digits, hyphens; starting with a letter)
            logRetentionDays             | 31        | one of CloudWatch Logs' retention periods [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]
            imageTag                     | v1:2      | a container image tag
            imageTag                     | Latest    | a pinned image tag such as the one scripts/push-images printed (latest moves: instances started on different days would run different images)
            video.utilisation            | 0         | a number from 0.05 to 100.0
            video.inputBuckets           | Media_In  | a comma-separated list of S3 buckets, each optionally with /prefix
            video.resultQueueUrl         | results   | an SQS queue URL such as https://sqs.eu-west-1.amazonaws.com/123456789012/results
            alarmEmail                   | ops       | an e-mail address for the alarm topic
            vpcId                        | vpc-1     | a VPC id such as vpc-0123456789abcdef0
            """)
    void badSettingNamesTheKeyTheValueAndWhatIsExpected(String key, String value, String expected) {
        SettingsException e = assertThrows(SettingsException.class, () -> read(key, value));
        assertEquals("setting " + key + "=\"" + value + "\" is invalid: expected " + expected, e.getMessage());
    }

    @Test
    void concurrencyAndUtilisationMakeTheTarget() {
        WorkerSpec video = worker(read("video.concurrency", "4", "video.utilisation", "1.5"), "video");
        assertEquals(4, video.scaling().concurrency());
        assertEquals(6.0, video.scaling().target(), "4 slots x 1.5: two messages waiting per instance");
        assertFalse(worker(read("video.scaleInProtection", "false"), "video").scaling().scaleInProtection());
    }

    @Test
    void storageSettingsBecomeLocations() {
        WorkerSpec video = worker(read("video.inputBuckets", "media-in, uploads/raw/", "video.outputBucket",
                "media-out", "video.outputPrefix", "renditions/"), "video");
        assertEquals(List.of(new WorkerSpec.S3Location("media-in", ""), new WorkerSpec.S3Location("uploads", "raw/")),
                video.storage().inputs());
        assertEquals("media-out/renditions/", video.storage().output().orElseThrow().toString());
        SettingsException e = assertThrows(SettingsException.class, () -> read("video.outputPrefix", "x/"));
        assertEquals("setting video.outputPrefix=\"x/\" is invalid without video.outputBucket", e.getMessage());
    }

    @Test
    void spotTakesSeveralTypesOfOneArchitecture() {
        WorkerSpec video = worker(read("video.spot", "true", "video.instanceTypes", "c7g.large,m7g.large",
                "video.onDemandBaseCapacity", "1"), "video");
        assertTrue(video.capacity().mixed());
        assertEquals("c7g.large", video.instanceType(), "the first type is the launch template's");
        assertEquals(1, video.capacity().onDemandBaseCapacity());
        SettingsException e = assertThrows(SettingsException.class,
                () -> read("video.instanceTypes", "c7g.large,c7i.large"));
        assertTrue(e.getMessage().startsWith("setting video.instanceTypes=\"c7g.large,c7i.large\" is invalid: "
                + "expected instance types of one architecture"), e.getMessage());
    }

    @Test
    void anExistingVpcNeedsItsSubnetsAndPrivateSubnetsAreForTheCreatedOne() {
        assertThrows(SettingsException.class, () -> read("vpcId", "vpc-0123456789abcdef0"));
        assertThrows(SettingsException.class, () -> read("securityGroupId", "sg-0123456789abcdef0"));
        assertThrows(SettingsException.class, () -> read("vpcId", "vpc-0123456789abcdef0", "subnetIds",
                "subnet-0123456789abcdef0", "privateSubnets", "true"));
        FleetSpec.Network network = read("privateSubnets", "true").network();
        assertTrue(network.vpcEndpoints(), "private subnets get endpoints by default");
    }

    @Test
    void anUnknownKeyIsRefusedNamingTheKnownKeysCloseToIt() {
        Map<String, Object> context = Map.of("vidoe.max", "3");
        Settings settings = new Settings(context::get);
        FleetSpec.read(settings);
        SettingsException e = assertThrows(SettingsException.class, () -> settings.refuseUnknown(context.keySet()));
        assertEquals("setting vidoe.max is unknown; known keys close to it: video.max, ai.max, messaging.max",
                e.getMessage());
        settings.refuseUnknown(List.of("aws:cdk:enable-path-metadata", "@aws-cdk/core:newStyleStackSynthesis",
                "video.max"));
    }

    @Test
    void minAboveMaxIsRefused() {
        SettingsException e = assertThrows(SettingsException.class, () -> read("ai.min", "5", "ai.max", "3"));
        assertEquals("settings ai.min=5 and ai.max=3 are invalid: min must not be above max", e.getMessage());
    }

    @Test
    void gpuFlavourOnAnInstanceWithoutGpuIsRefused() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> read("ai.gpu", "true", "ai.instanceType", "t4g.small"));
        assertTrue(e.getMessage().startsWith("settings ai.gpu=true and ai.instanceType=t4g.small are invalid"));
    }

    @Test
    void aStackWithNoWorkerIsRefused() {
        assertThrows(SettingsException.class,
                () -> read("messaging.enabled", "false", "video.enabled", "false", "ai.enabled", "false"));
    }

    @ParameterizedTest
    @CsvSource({"30s, 150", "15m, 1020", "2h, 7200", "10s, 130", "48h, 7200"})
    void heartbeatTimeoutCoversTheLifecycleDrainWithinAutoScalingsBounds(String drain, int seconds) {
        WorkerSpec video = worker(read("video.lifecycleDrainTimeout", drain), "video");
        assertEquals(Duration.ofSeconds(seconds), video.lifecycleHeartbeatTimeout());
    }

    @ParameterizedTest
    @CsvSource({"250ms, PT0.25S", "30s, PT30S", "5m, PT5M", "1h, PT1H", "45, PT45S"})
    void durationsUseTheWorkersFormat(String text, Duration expected) {
        assertEquals(Optional.of(expected), Settings.parseDuration(text));
        assertEquals(text.equals("45") ? "45s" : text, Settings.format(expected));
    }
}
