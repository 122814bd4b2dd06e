package dev.longshore.ai.nvml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import dev.longshore.ai.testing.NvmlStub;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NvmlBindingTest {
    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    /** The fake library's state, in {@link #dir}: no GPU until a test writes one. */
    private NvmlStub stub;

    @BeforeEach
    void resetStub() throws Exception {
        stub = NvmlStub.in(dir);
    }

    private Nvml load() {
        return Nvml.load(Optional.of(NvmlStub.library().toString()));
    }

    @Test
    void structLayoutsMatchNvmlHeaders() {
        // Write through the Java fields, read back at the C offsets of nvml.h.
        NvmlMemory memory = new NvmlMemory();
        memory.total = 1;
        memory.free = 2;
        memory.used = 3;
        assertLayout(memory, 24, longAt(8, 2), longAt(16, 3));
        NvmlUtilization util = new NvmlUtilization();
        util.gpu = 7;
        util.memory = 9;
        assertLayout(util, 8, intAt(4, 9));
        NvmlEventData event = new NvmlEventData();
        event.eventType = 0x8;
        event.eventData = 79;
        event.gpuInstanceId = 5;
        event.computeInstanceId = 6;
        assertLayout(event, 32, longAt(8, 0x8), longAt(16, 79), intAt(24, 5), intAt(28, 6));
    }

    /** A value expected at a byte offset of a structure, read as C reads an 8-byte or a 4-byte field. */
    private record At(int offset, long value, boolean eightBytes) {
    }

    private static At longAt(int offset, long value) {
        return new At(offset, value, true);
    }

    private static At intAt(int offset, int value) {
        return new At(offset, value, false);
    }

    /** Writes {@code struct}'s Java fields to its native memory and checks its size and the values at their offsets. */
    private static void assertLayout(Structure struct, int size, At... expected) {
        struct.write();
        String name = struct.getClass().getSimpleName();
        assertEquals(size, struct.size(), name + " size");
        Pointer memory = struct.getPointer();
        for (At at : expected) {
            long actual = at.eightBytes() ? memory.getLong(at.offset()) : memory.getInt(at.offset());
            assertEquals(at.value(), actual, name + " at offset " + at.offset());
        }
    }

    @Test
    void readsEveryGpuWithMemoryTemperatureUtilisationAndEcc() throws Exception {
        stub.write("gpu GPU-aaaa total=" + 80 * GIB + " free=" + 60 * GIB + " temp=47 util=12 ecc=3",
                "gpu GPU-bbbb total=" + 24 * GIB + " free=" + GIB + " temp=71 util=99");
        try (Nvml nvml = load()) {
            GpuSnapshot snapshot = nvml.snapshot();
            assertEquals(2, snapshot.gpus().size());
            GpuInfo a = snapshot.gpus().get(0);
            assertEquals("GPU-aaaa", a.uuid());
            assertEquals(80 * GIB, a.memoryTotal());
            assertEquals(60 * GIB, a.memoryFree());
            assertEquals(OptionalInt.of(47), a.temperatureC());
            assertEquals(OptionalInt.of(12), a.utilization());
            assertEquals(OptionalLong.of(3), a.eccUncorrected());
            assertEquals(GpuInfo.MigMode.NOT_SUPPORTED, a.migMode());
            GpuInfo b = snapshot.gpus().get(1);
            assertEquals(OptionalLong.empty(), b.eccUncorrected(), "ECC not supported reads as empty, not an error");
            assertEquals(OptionalInt.of(71), b.temperatureC());
        }
    }

    @Test
    void readsMigInstancesAndSkipsEmptySlots() throws Exception {
        stub.write("gpu GPU-a100 mig=1 total=" + 40 * GIB,
                "mig 0 MIG-one slot=0 total=" + 10 * GIB + " free=" + 9 * GIB,
                "mig 0 MIG-three slot=3 total=" + 20 * GIB + " free=" + 2 * GIB);
        try (Nvml nvml = load()) {
            GpuInfo gpu = nvml.snapshot().gpus().get(0);
            assertEquals(GpuInfo.MigMode.ENABLED, gpu.migMode());
            assertEquals(List.of(new MigInstance("MIG-one", 0, 10 * GIB, 9 * GIB),
                    new MigInstance("MIG-three", 3, 20 * GIB, 2 * GIB)), gpu.migInstances());
            assertEquals(new Topology(1, List.of("GPU-a100", "MIG-one", "MIG-three")), nvml.topology());
        }
    }

    @Test
    void migInstancesOfADisabledGpuAreNotListed() throws Exception {
        stub.write("gpu GPU-a100 mig=0", "mig 0 MIG-one");
        try (Nvml nvml = load()) {
            GpuInfo gpu = nvml.snapshot().gpus().get(0);
            assertEquals(GpuInfo.MigMode.DISABLED, gpu.migMode());
            assertEquals(List.of(), gpu.migInstances());
        }
    }

    @Test
    void missingLibraryIsAReasonNotAnException() throws Exception {
        Nvml nvml = Nvml.load(Optional.of(dir.resolve("no-such-libnvidia-ml.so.1").toString()));
        String reason = nvml.unavailableReason().orElseThrow();
        assertTrue(reason.contains("no-such-libnvidia-ml.so.1"), reason);
        assertTrue(reason.contains("WORKER_NVML_LIBRARY"), reason);
        assertFalse(reason.contains("\n"), "one line: " + reason);
        NvmlException e = assertThrows(NvmlException.class, nvml::snapshot);
        assertEquals(reason, e.getMessage());
        nvml.close();
    }

    @Test
    void driverNotLoadedIsReportedByNameAndInitIsRetriedOnceItLoads() throws Exception {
        stub.write("gpu GPU-a", "fail nvmlInit_v2 9");
        try (Nvml nvml = load()) {
            NvmlException e = assertThrows(NvmlException.class, nvml::snapshot);
            assertEquals(NvmlReturn.DRIVER_NOT_LOADED, e.code());
            assertEquals("nvmlInit_v2 failed: Driver Not Loaded (NVML_ERROR_DRIVER_NOT_LOADED)", e.getMessage());
            stub.write("gpu GPU-a");
            assertEquals("GPU-a", nvml.snapshot().gpus().get(0).uuid());
        }
    }

    @Test
    void anUnreadableStatisticIsLeftOutWithoutFailingTheSnapshot() throws Exception {
        stub.write("gpu GPU-a free=" + GIB + " ecc=1", "fail nvmlDeviceGetTotalEccErrors 4",
                "fail nvmlDeviceGetTemperature 999", "fail nvmlDeviceGetUtilizationRates 3");
        try (Nvml nvml = load()) {
            GpuInfo gpu = nvml.snapshot().gpus().get(0);
            assertEquals(GIB, gpu.memoryFree());
            assertEquals(OptionalInt.empty(), gpu.temperatureC());
            assertEquals(OptionalInt.empty(), gpu.utilization());
            assertEquals(OptionalLong.empty(), gpu.eccUncorrected());
        }
    }

    @Test
    void gpuIsLostIsRecognised() throws Exception {
        stub.write("gpu GPU-a", "fail nvmlDeviceGetMemoryInfo 15");
        try (Nvml nvml = load()) {
            NvmlException e = assertThrows(NvmlException.class, nvml::snapshot);
            assertTrue(e.gpuLost());
            assertTrue(e.getMessage().contains("nvmlDeviceGetMemoryInfo"), e.getMessage());
            assertTrue(e.getMessage().contains("NVML_ERROR_GPU_IS_LOST"), e.getMessage());
        }
    }

    @Test
    void closeShutsNvmlDownOnceAndLaterCallsSayClosed() throws Exception {
        stub.write("gpu GPU-a");
        Nvml nvml = load();
        nvml.topology();
        assertEquals(1, stub.initCount());
        nvml.close();
        nvml.close();
        assertEquals(0, stub.initCount());
        NvmlException e = assertThrows(NvmlException.class, nvml::topology);
        assertTrue(e.sessionClosed());
    }
}
