package dev.longshore.ai.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.ai.nvml.Nvml;
import dev.longshore.testkit.FakeWorkerControl;
import dev.longshore.testkit.LogCapture;
import dev.longshore.testkit.MutableClock;
import dev.longshore.ai.testing.NvmlStub;
import dev.longshore.core.ExitCodes;
import dev.longshore.core.concurrent.Sleeper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Simulated hours against the NVML stub: a fake sleeper moves the clock and rewrites the stub's state on
 * schedule, so a day of 30-second checks takes well under a second.
 */
class TopologyWatcherTest {
    private static final String PLAIN = "gpu GPU-1111 mig=0 temp=40 util=0";
    private static final String MIG_ON = "gpu GPU-1111 mig=1 temp=40 util=0";

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.atEpoch();
    private final Instant start = clock.instant();
    private final FakeWorkerControl control = new FakeWorkerControl("ai", clock);
    private final TreeMap<Duration, String[]> script = new TreeMap<>();
    private NvmlStub stub;
    private Nvml nvml;
    private LogCapture logs;
    private Duration simulate = Duration.ofHours(1);

    @BeforeEach
    void setUp() throws Exception {
        stub = NvmlStub.in(dir);
        nvml = Nvml.load(Optional.of(NvmlStub.library().toString()));
        logs = new LogCapture(TopologyWatcher.class);
    }

    @AfterEach
    void tearDown() {
        logs.close();
        nvml.close();
    }

    /** Sets the state now (t = 0) and schedules later ones. */
    private void at(Duration offset, String... lines) {
        if (offset.isZero()) {
            stub.write(lines);
        } else {
            script.put(offset, lines);
        }
    }

    private final Sleeper sleeper = d -> {
        clock.advance(d);
        Duration elapsed = Duration.between(start, clock.instant());
        Map.Entry<Duration, String[]> due;
        while ((due = script.firstEntry()) != null && due.getKey().compareTo(elapsed) <= 0) {
            stub.write(due.getValue());
            script.pollFirstEntry();
        }
        if (elapsed.compareTo(simulate) >= 0) {
            throw new InterruptedException("end of the simulated run");
        }
    };

    private TopologyWatcher run(Duration interval, Duration cooldown, int threshold) throws Exception {
        TopologyWatcher watcher = new TopologyWatcher(nvml::topology, interval, cooldown, threshold, clock, sleeper,
                "test-gpu-topology");
        watcher.start(control);
        assertTrue(watcher.awaitEnd(Duration.ofSeconds(30)), "the simulated run ended");
        watcher.close();
        return watcher;
    }

    private TopologyWatcher runWithDefaults() throws Exception {
        return run(TopologyWatcher.DEFAULT_INTERVAL, TopologyWatcher.DEFAULT_COOLDOWN,
                TopologyWatcher.DEFAULT_FAILURE_THRESHOLD);
    }

    private Duration restartAfterStart() {
        assertEquals(1, control.drains().size(), "one restart: " + control.drains());
        FakeWorkerControl.Drain drain = control.drains().get(0);
        assertEquals(ExitCodes.RESTART, drain.exitCode());
        return Duration.between(start, drain.at());
    }

    @Test
    void migEnabledRestartsWithTheExactLogLine() throws Exception {
        at(Duration.ZERO, PLAIN);
        at(Duration.ofMinutes(10), MIG_ON, "mig 0 MIG-bbbb", "mig 0 MIG-aaaa");
        runWithDefaults();
        assertEquals(List.of("[GPU-Watcher] MIG configuration change detected (Old UUIDs: [GPU-1111], "
                        + "New UUIDs: [GPU-1111, MIG-aaaa, MIG-bbbb]). Initiating self-restart."),
                logs.messagesAt("INFO").stream().filter(m -> m.startsWith("[GPU-Watcher]")).toList());
        Duration after = restartAfterStart();
        assertTrue(after.compareTo(Duration.ofMinutes(10)) >= 0 && after.compareTo(Duration.ofMinutes(12)) <= 0,
                "restart within 2 minutes of the change with the defaults, was at " + after);
    }

    /** Name, the GPU before and five minutes later, and the UUID lists the log line must give for each. */
    static Stream<Arguments> migChanges() {
        return Stream.of(
                Arguments.of("reconfigured", List.of(MIG_ON, "mig 0 MIG-aaaa", "mig 0 MIG-bbbb"),
                        List.of(MIG_ON, "mig 0 MIG-cccc"), "[GPU-1111, MIG-aaaa, MIG-bbbb]", "[GPU-1111, MIG-cccc]"),
                Arguments.of("disabled", List.of(MIG_ON, "mig 0 MIG-aaaa"), List.of(PLAIN, "mig 0 MIG-aaaa"),
                        "[GPU-1111, MIG-aaaa]", "[GPU-1111]"));
    }

    @ParameterizedTest(name = "MIG {0}")
    @MethodSource("migChanges")
    void aMigChangeRestarts(String change, List<String> before, List<String> after, String oldUuids,
            String newUuids) throws Exception {
        at(Duration.ZERO, before.toArray(String[]::new));
        at(Duration.ofMinutes(5), after.toArray(String[]::new));
        runWithDefaults();
        assertTrue(logs.messagesAt("INFO").contains("[GPU-Watcher] MIG configuration change detected (Old UUIDs: "
                + oldUuids + ", New UUIDs: " + newUuids + "). Initiating self-restart."),
                logs.messagesAt("INFO").toString());
        restartAfterStart();
    }

    @Test
    void aGpuThatDisappearsRestarts() throws Exception {
        at(Duration.ZERO, PLAIN, "gpu GPU-2222");
        at(Duration.ofMinutes(3), PLAIN);
        runWithDefaults();
        restartAfterStart();
    }

    @Test
    void temperatureUtilisationAndMemoryChangesNeverRestart() throws Exception {
        at(Duration.ZERO, PLAIN);
        for (int minute = 1; minute < 60; minute++) {
            at(Duration.ofMinutes(minute), "gpu GPU-1111 mig=0 temp=" + (40 + minute % 50) + " util=" + minute % 100
                    + " free=" + minute * 1_000_000L);
        }
        TopologyWatcher watcher = runWithDefaults();
        assertEquals(List.of(), control.drains());
        assertTrue(watcher.checks() >= 110, "checks made: " + watcher.checks());
    }

    @Test
    void aStableDayNeverRestarts() throws Exception {
        simulate = Duration.ofHours(24);
        at(Duration.ZERO, MIG_ON, "mig 0 MIG-aaaa", "mig 0 MIG-bbbb");
        TopologyWatcher watcher = runWithDefaults();
        assertEquals(List.of(), control.drains());
        assertEquals(24 * 120 - 2, watcher.checks(), "every 30 s after the 60 s cooldown");
    }

    @Test
    void theFirstComparisonWaitsForTheCooldown() throws Exception {
        at(Duration.ZERO, PLAIN);
        at(Duration.ofSeconds(5), PLAIN, "gpu GPU-2222");
        run(Duration.ofSeconds(30), Duration.ofSeconds(90), 3);
        assertEquals(Duration.ofSeconds(90), restartAfterStart());
    }

    @Test
    void transientFailuresBelowTheThresholdDoNotRestart() throws Exception {
        at(Duration.ZERO, PLAIN);
        // Two failed checks in a row (at 90 s and 120 s), one good one, two more failures, then good again.
        at(Duration.ofSeconds(80), PLAIN, "fail nvmlDeviceGetCount_v2 999");
        at(Duration.ofSeconds(140), PLAIN);
        at(Duration.ofSeconds(170), PLAIN, "fail nvmlDeviceGetMigDeviceHandleByIndex 999",
                "fail nvmlDeviceGetMigMode 999");
        at(Duration.ofSeconds(230), PLAIN);
        TopologyWatcher watcher = runWithDefaults();
        assertEquals(List.of(), control.drains());
        assertEquals(4, logs.messagesAt("WARN").stream().filter(m -> m.startsWith("GPU topology check failed")).count(),
                logs.messagesAt("WARN").toString());
        assertTrue(watcher.checks() > 100);
    }

    @Test
    void failuresReachingTheThresholdRestart() throws Exception {
        at(Duration.ZERO, PLAIN);
        at(Duration.ofMinutes(10), PLAIN, "fail nvmlDeviceGetUUID 999");
        runWithDefaults();
        // Checks at 10:00, 10:30 and 11:00 fail; the third one restarts.
        assertEquals(Duration.ofMinutes(11), restartAfterStart());
        assertTrue(control.drains().get(0).reason().contains("3 consecutive"), control.drains().get(0).reason());
    }

    @Test
    void noNvmlAtAllNeverRestarts() throws Exception {
        nvml.close();
        nvml = Nvml.load(Optional.of(dir.resolve("missing/libnvidia-ml.so.1").toString()));
        TopologyWatcher watcher = runWithDefaults();
        assertEquals(List.of(), control.drains());
        assertTrue(watcher.checks() > 100);
    }

    @Test
    void aTopologyFirstReadableLaterBecomesTheBaseline() throws Exception {
        at(Duration.ZERO, PLAIN, "fail nvmlInit_v2 9");
        at(Duration.ofMinutes(5), PLAIN);
        at(Duration.ofMinutes(20), MIG_ON, "mig 0 MIG-aaaa");
        runWithDefaults();
        Duration after = restartAfterStart();
        assertTrue(after.compareTo(Duration.ofMinutes(20)) >= 0 && after.compareTo(Duration.ofMinutes(21)) <= 0,
                "restart at " + after);
    }
}
