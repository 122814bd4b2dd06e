package dev.longshore.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
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
        assertEquals("latest", fleet.imageTag());
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
        assertEquals(20, ai.backlogTarget());
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
        assertEquals(15, video.backlogTarget());
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
    @CsvSource(delimiter = '|', value = {
            "video.max|abc|setting video.max=\"abc\" is invalid: expected a whole number from 1 to 1000",
            "video.max|0|setting video.max=\"0\" is invalid: expected a whole number from 1 to 1000",
            "messaging.min|-1|setting messaging.min=\"-1\" is invalid: expected a whole number from 0 to 1000",
            "ai.gpu|yes|setting ai.gpu=\"yes\" is invalid: expected true or false",
            "video.healthCheckGracePeriod|601|setting video.healthCheckGracePeriod=\"601\" is invalid: expected a duration such as 30s, 5m or 1h, from 0s to 10m",
            "video.drainTimeout|soon|setting video.drainTimeout=\"soon\" is invalid: expected a duration such as 30s, 5m or 1h, from 0s to 1h",
            "messaging.instanceType|T4G SMALL|setting messaging.instanceType=\"T4G SMALL\" is invalid: expected an EC2 instance type such as t4g.small",
            "stackName|my stack|setting stackName=\"my stack\" is invalid: expected a CloudFormation stack name (letters, digits, hyphens; starting with a letter)",
            "logRetentionDays|31|setting logRetentionDays=\"31\" is invalid: expected one of CloudWatch Logs' retention periods [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]",
            "imageTag|v1:2|setting imageTag=\"v1:2\" is invalid: expected a container image tag"})
    void badSettingNamesTheKeyTheValueAndWhatIsExpected(String key, String value, String message) {
        SettingsException e = assertThrows(SettingsException.class, () -> read(key, value));
        assertEquals(message, e.getMessage());
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
