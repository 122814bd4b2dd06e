package dev.longshore.ai.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longshore.testkit.FakeWorkerControl;
import dev.longshore.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retention sweep of WORKER_JOBS_DIR, on a clock the test moves. */
class JobSweeperTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RETENTION = Duration.ofHours(24);

    @TempDir
    Path tmp;

    private final MutableClock clock = MutableClock.atEpoch();
    private JobsDirectory jobs;
    private JobSweeper sweeper;

    @BeforeEach
    void setUp() throws Exception {
        jobs = new JobsDirectory(tmp.resolve("jobs"));
        sweeper = new JobSweeper(jobs, RETENTION, clock, "worker-ai-job-sweeper");
    }

    /** A job that ran now (on the test clock) and ended with {@code marker}. */
    private JobDirectory finished(String id, String marker) throws Exception {
        JobDirectory dir = jobs.resolve(id);
        try (JobDirectory.Lock lock = dir.tryLock().orElseThrow()) {
            dir.prepare(1);
            Files.writeString(dir.outputs().resolve("out.bin"), "x");
            if (marker.equals(JobDirectory.SUCCESS)) {
                dir.writeSuccess(JSON.createObjectNode().put("finishedAt", clock.instant().toString()));
            } else {
                dir.writeFailed("exit_3", "failed", false, 1, clock.instant().toString());
            }
        }
        return dir;
    }

    private List<String> remaining() throws Exception {
        try (var entries = Files.list(jobs.root())) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void finishedJobsOlderThanTheRetentionAreDeletedYoungerOnesKept() throws Exception {
        finished("old-ok", JobDirectory.SUCCESS);
        finished("old-failed", JobDirectory.FAILED);
        clock.advance(Duration.ofHours(20));
        finished("young", JobDirectory.SUCCESS);
        clock.advance(Duration.ofHours(5));

        assertEquals(2, sweeper.sweep());
        assertEquals(List.of("young"), remaining());
        clock.advance(Duration.ofHours(20));
        assertEquals(1, sweeper.sweep());
        assertEquals(List.of(), remaining());
    }

    @Test
    void aRunningJobsDirectoryIsNeverDeletedEvenWithAnOldMarker() throws Exception {
        JobDirectory dir = finished("rerun", JobDirectory.FAILED);
        clock.advance(Duration.ofDays(3));
        try (JobDirectory.Lock running = dir.tryLock().orElseThrow()) {
            assertEquals(0, sweeper.sweep());
            assertTrue(Files.exists(dir.outputs().resolve("out.bin")));
        }
        assertEquals(1, sweeper.sweep());
    }

    @Test
    void aDirectoryWithoutAMarkerIsKept() throws Exception {
        JobDirectory dir = jobs.resolve("crashed");
        try (JobDirectory.Lock lock = dir.tryLock().orElseThrow()) {
            dir.prepare(1);
        }
        clock.advance(Duration.ofDays(30));
        assertEquals(0, sweeper.sweep());
        assertEquals(List.of("crashed"), remaining());
    }

    @Test
    void whatASweepLeftHalfDeletedIsFinishedAndOtherFilesAreLeftAlone() throws Exception {
        Path trash = jobs.root().resolve(JobsDirectory.TRASH_PREFIX + "gone");
        Files.createDirectories(trash.resolve("outputs"));
        Files.writeString(trash.resolve("outputs/x"), "x");
        Files.writeString(jobs.root().resolve("README"), "operator's note");
        Path outside = tmp.resolve("elsewhere");
        Files.createDirectories(outside);
        Files.writeString(outside.resolve("SUCCESS"), "{\"finishedAt\": \"2000-01-01T00:00:00Z\"}");
        Files.createSymbolicLink(jobs.root().resolve("link"), outside);
        clock.advance(Duration.ofDays(30));

        assertEquals(0, sweeper.sweep());
        assertEquals(List.of("README", "link"), remaining());
        assertTrue(Files.exists(outside.resolve("SUCCESS")), "a link is not followed");
    }

    @Test
    void theSweeperThreadSweepsAtStartAndStopsWithTheWorker() throws Exception {
        finished("old", JobDirectory.SUCCESS);
        clock.advance(RETENTION.plusMinutes(1));
        sweeper.start(new FakeWorkerControl());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!remaining().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(List.of(), remaining());
        assertTrue(threadAlive("worker-ai-job-sweeper"));
        sweeper.close();
        sweeper.close();
        assertFalse(threadAlive("worker-ai-job-sweeper"), "stopped at shutdown");
    }

    @Test
    void theIntervalIsAQuarterOfTheRetentionWithinBounds() {
        assertEquals(Duration.ofMinutes(10), JobSweeper.interval(Duration.ofHours(24)));
        assertEquals(Duration.ofSeconds(15), JobSweeper.interval(Duration.ofMinutes(1)));
        assertEquals(Duration.ofSeconds(1), JobSweeper.interval(Duration.ofSeconds(2)));
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}
