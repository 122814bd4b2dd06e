package dev.longshore.ai.nvml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.ai.testing.NvmlStub;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XidWatcherTest {
    @TempDir
    Path dir;

    private final LinkedBlockingQueue<String> failures = new LinkedBlockingQueue<>();

    private XidWatcher watcher(Nvml nvml) {
        return new XidWatcher(nvml, (uuid, reason) -> failures.add(uuid + " | " + reason), "test-xid-watcher",
                Duration.ofMillis(50));
    }

    private static Nvml load() {
        return Nvml.load(Optional.of(NvmlStub.library().toString()));
    }

    /**
     * Starts a watcher on a stub that has {@code gpus}, then lets NVML deliver {@code events}; the first failure
     * the watcher reports, or null after five seconds.
     */
    private String firstFailure(List<String> gpus, String... events) throws Exception {
        NvmlStub stub = NvmlStub.in(dir);
        stub.write(gpus.toArray(String[]::new));
        try (Nvml nvml = load(); XidWatcher w = watcher(nvml)) {
            w.start();
            stub.write(Stream.concat(gpus.stream(), Stream.of(events)).toArray(String[]::new));
            return failures.poll(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void fatalXidMarksThatGpuFailed() throws Exception {
        assertEquals("GPU-b | Xid 79 on GPU-b", firstFailure(List.of("gpu GPU-a", "gpu GPU-b"), "xid 1 1 79"));
    }

    @Test
    void applicationXidsLeaveTheGpuInService() throws Exception {
        String first = firstFailure(List.of("gpu GPU-a"), "xid 1 0 13", "xid 2 0 31", "xid 3 0 43", "xid 4 0 45",
                "xid 5 0 68", "xid 6 0 109", "xid 7 0 48");
        // Events are delivered in order, so the first report must be the fatal 48 that came last.
        assertEquals("GPU-a | Xid 48 on GPU-a", first);
        assertTrue(failures.isEmpty());
    }

    @Test
    void gpuLostWhileWaitingIsFatal() throws Exception {
        String failure = firstFailure(List.of("gpu GPU-a"), "fail nvmlEventSetWait_v2 15");
        assertTrue(failure != null && failure.contains("NVML_ERROR_GPU_IS_LOST"), String.valueOf(failure));
    }

    @Test
    void onlyApplicationXidsAreNonFatal() {
        for (long xid : List.of(13L, 31L, 43L, 45L, 68L, 109L)) {
            assertFalse(XidWatcher.isFatal(xid), "Xid " + xid);
        }
        for (long xid : List.of(48L, 64L, 74L, 79L, 95L, 94L, 119L)) {
            assertTrue(XidWatcher.isFatal(xid), "Xid " + xid);
        }
    }

    @Test
    void watcherRunsOnANamedThreadAndStopsOnClose() throws Exception {
        NvmlStub stub = NvmlStub.in(dir);
        stub.write("gpu GPU-a");
        Nvml nvml = load();
        XidWatcher w = watcher(nvml);
        w.start();
        assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("test-xid-watcher")));
        long start = System.nanoTime();
        w.close();
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(3).toNanos());
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("test-xid-watcher") && t.isAlive()));
        nvml.close();
        assertEquals(0, stub.initCount());
    }
}
