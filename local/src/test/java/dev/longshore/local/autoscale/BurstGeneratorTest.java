package dev.longshore.local.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.TestWorkers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BurstGeneratorTest {
    private static final String THREAD = "local-fleet-burst";

    @Test
    void sendsEachJobWhenDueThenCloseStopsTheWaitForTheNextAtOnce() throws Exception {
        FleetClock clock = FleetClock.system();
        Workload workload = new Workload(List.of(new Workload.Job("now", 0, 1), new Workload.Job("soon", 0.05, 1),
                new Workload.Job("in-an-hour", 3600, 1)));
        try (EmbeddedSqs sqs = EmbeddedSqs.start(); JobSink sink = JobSink.start(clock)) {
            String queue = sqs.createQueue("burst", Map.of());
            BurstGenerator burst = new BurstGenerator(sqs.client(), queue, sink, workload, clock);
            burst.begin();
            assertEquals(Set.of("now"), burst.sentAt().keySet(), "what is due at the start goes at once");
            burst.start();
            assertTrue(TestWorkers.eventually(Duration.ofSeconds(10), () -> burst.sentAt().containsKey("soon")));
            assertTrue(burstThreadAlive(), "waiting an hour for the last job");

            burst.close();

            assertFalse(burstThreadAlive(), "close ended the wait and the thread");
            assertFalse(burst.allSent());
            assertEquals(2, burst.sentAt().size());
            assertNull(burst.failure());
        }
    }

    private static boolean burstThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(THREAD) && t.isAlive());
    }
}
