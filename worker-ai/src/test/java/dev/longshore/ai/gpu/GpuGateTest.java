package dev.longshore.ai.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.ai.nvml.Nvml;
import dev.longshore.testkit.FakeWorkerControl;
import dev.longshore.testkit.MutableClock;
import dev.longshore.ai.testing.NvmlStub;
import dev.longshore.core.ExitCodes;
import dev.longshore.core.gate.GateStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuGateTest {
    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.atEpoch();
    private final List<String> reported = new ArrayList<>();
    private final GpuHealth health = new GpuHealth(reported::add);
    private NvmlStub stub;
    private Nvml nvml;

    @BeforeEach
    void setUp() throws Exception {
        stub = NvmlStub.in(dir);
        nvml = Nvml.load(Optional.of(NvmlStub.library().toString()));
    }

    @AfterEach
    void tearDown() {
        nvml.close();
    }

    private GpuGate gate(long minFree, int maxTemp) {
        return new GpuGate(nvml::snapshot, new GpuRequirements(minFree, maxTemp), health, clock);
    }

    /** Moves past the gate's cache so the next check reads NVML again. */
    private void later() {
        clock.advance(GpuGate.REFRESH_INTERVAL);
    }

    @Test
    void opensWhenAGpuHasEnoughFreeMemoryAndIsCoolEnough() {
        stub.write("gpu GPU-a free=" + 10 * GIB + " temp=60");
        assertTrue(gate(8 * GIB, 85).check().isOpen());
    }

    @Test
    void staysClosedWhileMemoryIsShortAndOpensWhenItFrees() {
        stub.write("gpu GPU-a free=" + 2 * GIB + " temp=60");
        GpuGate gate = gate(8 * GIB, 85);
        GateStatus closed = gate.check();
        assertFalse(closed.isOpen());
        assertEquals("no usable GPU: GPU-a has 2.0 GiB free, 8.0 GiB required", closed.reason());
        stub.write("gpu GPU-a free=" + 9 * GIB + " temp=60");
        later();
        assertTrue(gate.check().isOpen());
    }

    @Test
    void staysClosedWhileTheGpuIsTooHot() {
        stub.write("gpu GPU-a free=" + 10 * GIB + " temp=91");
        GateStatus status = gate(0, 85).check();
        assertFalse(status.isOpen());
        assertEquals("no usable GPU: GPU-a is at 91°C, above the 85°C limit", status.reason());
        stub.write("gpu GPU-a free=" + 10 * GIB + " temp=85");
        later();
        GpuGate fresh = gate(0, 85);
        assertTrue(fresh.check().isOpen(), "exactly at the limit is still allowed");
    }

    @Test
    void readsNvmlAtMostOncePerRefreshInterval() {
        stub.write("gpu GPU-a free=" + GIB);
        GpuGate gate = gate(8 * GIB, 85);
        assertFalse(gate.check().isOpen());
        stub.write("gpu GPU-a free=" + 9 * GIB);
        clock.advance(GpuGate.REFRESH_INTERVAL.minusMillis(1));
        assertFalse(gate.check().isOpen(), "still the cached answer");
        clock.advance(Duration.ofMillis(1));
        assertTrue(gate.check().isOpen());
    }

    @Test
    void migInstancesAreTheUnitsAndTheJobGetsTheOneWithMostFreeMemory() throws Exception {
        stub.write("gpu GPU-a100 mig=1 temp=50 free=" + 70 * GIB,
                "mig 0 MIG-small total=" + 10 * GIB + " free=" + 9 * GIB,
                "mig 0 MIG-big total=" + 40 * GIB + " free=" + 30 * GIB);
        GpuGate gate = gate(5 * GIB, 85);
        assertTrue(gate.check().isOpen());
        try (GpuLease lease = gate.acquire(1)) {
            assertEquals("MIG-big", lease.cudaVisibleDevices());
        }
    }

    @Test
    void migEnabledWithoutInstancesKeepsTheGateClosed() {
        stub.write("gpu GPU-a100 mig=1 free=" + 70 * GIB);
        GateStatus status = gate(0, 85).check();
        assertFalse(status.isOpen());
        assertEquals("no usable GPU: GPU-a100 has MIG enabled but no MIG instance", status.reason());
    }

    @Test
    void concurrentJobsAreSpreadOverGpusAndAGpuReturnsWhenItsJobEnds() throws Exception {
        stub.write("gpu GPU-a free=" + 20 * GIB, "gpu GPU-b free=" + 10 * GIB);
        GpuGate gate = gate(GIB, 85);
        GpuLease first = gate.acquire(1);
        GpuLease second = gate.acquire(1);
        assertEquals("GPU-a", first.cudaVisibleDevices());
        assertEquals("GPU-b", second.cudaVisibleDevices(), "the idle GPU before the one with the most memory");
        first.close();
        second.close();
        try (GpuLease two = gate.acquire(2)) {
            assertEquals("GPU-a,GPU-b", two.cudaVisibleDevices());
        }
    }

    @Test
    void acquireRefusesWhenTooFewGpusQualify() {
        stub.write("gpu GPU-a free=" + 20 * GIB, "gpu GPU-b free=" + GIB);
        GpuUnavailableException e = assertThrows(GpuUnavailableException.class, () -> gate(8 * GIB, 85).acquire(2));
        assertTrue(e.getMessage().contains("needs 2 GPUs and 1 qualify"), e.getMessage());
        assertTrue(e.getMessage().contains("GPU-b has 1.0 GiB free"), e.getMessage());
    }

    @Test
    void missingLibraryKeepsTheGateClosedWithTheReason() {
        try (Nvml missing = Nvml.load(Optional.of(dir.resolve("libnvidia-ml.so.1").toString()))) {
            GpuGate gate = new GpuGate(missing::snapshot, new GpuRequirements(0, 85), health, clock);
            GateStatus status = gate.check();
            assertFalse(status.isOpen());
            assertTrue(status.reason().startsWith("GPU not usable: NVML library "), status.reason());
        }
    }

    @Test
    void noGpuKeepsTheGateClosed() {
        stub.write();
        assertEquals("no usable GPU: NVML reports no GPU", gate(0, 85).check().reason());
    }

    @Test
    void transientNvmlErrorClosesTheGateWithoutDeclaringTheGpuLost() {
        stub.write("gpu GPU-a", "fail nvmlDeviceGetCount_v2 999");
        GateStatus status = gate(0, 85).check();
        assertFalse(status.isOpen());
        assertTrue(status.reason().contains("NVML_ERROR_UNKNOWN"), status.reason());
        assertTrue(health.failure().isEmpty());
    }

    @Test
    void lostGpuClosesTheGateForGoodReportsTheInstanceAndRequestsARestart() throws Exception {
        FakeWorkerControl control = new FakeWorkerControl("ai", clock);
        health.start(control);
        stub.write("gpu GPU-a", "fail nvmlDeviceGetMemoryInfo 15");
        GpuGate gate = gate(0, 85);
        GateStatus status = gate.check();
        assertFalse(status.isOpen());
        assertTrue(status.reason().startsWith("GPU lost: "), status.reason());
        stub.write("gpu GPU-a");
        later();
        assertFalse(gate.check().isOpen(), "a lost GPU never opens the gate again in this process");
        assertEquals(1, reported.size());
        assertEquals(1, control.drains().size());
        assertEquals(ExitCodes.RESTART, control.drains().get(0).exitCode());
    }

    @Test
    void gpuLostBeforeTheWorkerStartedRestartsOnceItStarts() {
        health.gpuFailed("GPU-a", "Xid 79 on GPU-a");
        FakeWorkerControl control = new FakeWorkerControl("ai", clock);
        health.start(control);
        assertEquals(List.of("GPU lost: Xid 79 on GPU-a"), control.drains().stream().map(FakeWorkerControl.Drain::reason).toList());
    }
}
