package dev.longshore.local.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadTest {
    @TempDir
    Path dir;

    @Test
    void arrivalLogRoundTrips() throws IOException {
        Workload w = Workload.generate(LoadShape.parse("5@0,2/s@10s-12s"), false, ProcessingTime.parse("uniform:1s-2s"),
                42, "job-");
        Path log = dir.resolve("arrivals.csv");
        w.writeLog(log);
        Workload back = Workload.readLog(log, ProcessingTime.parse("1s"), 1);
        assertEquals(9, back.size());
        for (int i = 0; i < w.size(); i++) {
            assertEquals(w.jobs().get(i).id(), back.jobs().get(i).id());
            assertEquals(w.jobs().get(i).at(), back.jobs().get(i).at(), 0.001);
            assertEquals(w.jobs().get(i).processing(), back.jobs().get(i).processing(), 0.001);
        }
    }

    @Test
    void logWithInstantsCountsFromTheEarliestAndDrawsMissingProcessingTimes() throws IOException {
        Path log = dir.resolve("recorded.csv");
        Files.writeString(log, """
                # exported from our queue
                2026-11-20T09:00:30Z
                2026-11-20T09:00:00Z,45s,first
                2026-11-20T09:01:00Z,,third
                """);
        Workload w = Workload.readLog(log, ProcessingTime.parse("const:7s"), 1);
        assertEquals(3, w.size());
        assertEquals("first", w.jobs().get(0).id());
        assertEquals(0, w.jobs().get(0).at());
        assertEquals(45, w.jobs().get(0).processing());
        assertEquals(30, w.jobs().get(1).at());
        assertEquals(7, w.jobs().get(1).processing());
        assertEquals(60, w.jobs().get(2).at());
    }

    @Test
    void badLineIsNamedByFileAndLineNumber() throws IOException {
        Path log = dir.resolve("bad.csv");
        Files.writeString(log, "at_s,processing_s\n0,3\n1.5,3\nsoon,3\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Workload.readLog(log, ProcessingTime.parse("1s"), 1));
        assertTrue(e.getMessage().contains("line 4"), e.getMessage());
        Files.writeString(log, "at_s,processing_s\n");
        assertThrows(IllegalArgumentException.class, () -> Workload.readLog(log, ProcessingTime.parse("1s"), 1));
    }
}
