package dev.longshore.local.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The summary counts by job id what happened at the receiver; times are seconds since the load started. */
class FleetSummaryTest {
    private static final double LOAD_START = 100;

    private static Workload workload() {
        return new Workload(List.of(new Workload.Job("a", 0, 2), new Workload.Job("b", 0, 2), new Workload.Job("c", 1, 2)));
    }

    private static FleetSnapshot noInstances() {
        return new FleetSnapshot(LOAD_START + 20, 20, 5, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of());
    }

    private static JobSink.Execution ran(double started, double finished) {
        return new JobSink.Execution(LOAD_START + started, LOAD_START + finished);
    }

    @Test
    void everyJobOnceGivesTimeToDrainAndLatencies() {
        FleetSummary s = FleetSummary.of(workload(), Map.of("a", 0.0, "b", 0.0, "c", 1.0),
                Map.of("a", 1, "b", 1, "c", 1),
                Map.of("a", List.of(ran(4, 6)), "b", List.of(ran(4, 6)), "c", List.of(ran(6, 8))),
                new WorkerLogTally(), noInstances(), LOAD_START, 20, 0);
        assertEquals(3, s.done());
        assertEquals(0, s.duplicates());
        assertEquals(0, s.lost());
        assertEquals(8, s.timeToDrain(), 1e-9, "first send at 0, last finish at 8");
        assertEquals(6, s.latency().at(50), 1e-9);
        assertEquals(7, s.latency().max(), 1e-9);
        assertEquals(4, s.firstJobWait(), 1e-9);
        assertTrue(s.ok());
    }

    @Test
    void aJobRunTwiceIsADuplicateAndAJobNeverFinishedIsLost() throws Exception {
        WorkerLogTally tally = new WorkerLogTally();
        ObjectMapper json = new ObjectMapper();
        tally.accept("i-01", json.readTree("{\"level\":\"INFO\",\"msg\":\"webhook delivered: POST x -> 200\",\"jobId\":\"a\"}"));
        tally.accept("i-02", json.readTree("{\"level\":\"INFO\",\"msg\":\"webhook delivered: POST x -> 200\",\"jobId\":\"a\"}"));
        FleetSummary s = FleetSummary.of(workload(), Map.of("a", 0.0, "b", 0.0, "c", 1.0), Map.of("a", 2, "b", 1),
                Map.of("a", List.of(ran(4, 6), ran(15, 17)), "b", List.of(ran(4, 6))),
                tally, noInstances(), LOAD_START, 20, 0);
        assertEquals(1, s.duplicates());
        assertEquals(1, s.loggedDuplicates());
        assertEquals(1, s.lost());
        assertEquals(2, s.done());
        assertTrue(Double.isNaN(s.timeToDrain()));
        assertFalse(s.ok());
    }

    @Test
    void aDeadLetteredMessageOrAWorkerErrorFailsTheRun() throws Exception {
        Map<String, List<JobSink.Execution>> all = Map.of("a", List.of(ran(4, 6)), "b", List.of(ran(4, 6)),
                "c", List.of(ran(6, 8)));
        Map<String, Double> sent = Map.of("a", 0.0, "b", 0.0, "c", 1.0);
        assertFalse(FleetSummary.of(workload(), sent, Map.of(), all, new WorkerLogTally(), noInstances(), LOAD_START, 20, 1).ok());
        WorkerLogTally tally = new WorkerLogTally();
        tally.accept("i-01", new ObjectMapper().readTree("{\"level\":\"ERROR\",\"msg\":\"boom\"}"));
        FleetSummary s = FleetSummary.of(workload(), sent, Map.of(), all, tally, noInstances(), LOAD_START, 20, 0);
        assertFalse(s.ok());
        assertEquals(List.of("i-01 boom"), s.workerErrors());
    }
}
