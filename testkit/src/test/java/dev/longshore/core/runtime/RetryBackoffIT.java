package dev.longshore.core.runtime;

import static dev.longshore.testkit.TestWorkers.eventually;
import static dev.longshore.testkit.TestWorkers.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.Worker;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.testing.RecordingHandler;
import dev.longshore.core.testing.RecordingQueueClient;
import dev.longshore.testkit.TestWorkers;
import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.QueuePair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryBackoffIT {

    @Test
    void retryableFailuresComeBackWithGrowingDelaysThenSucceed() throws Exception {
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            QueuePair q = sqs.createQueueWithDeadLetter("retries", 10, Duration.ofSeconds(30));
            RecordingHandler handler = new RecordingHandler("a");
            Map<String, String> env = Map.of("WORKER_RETRY_BASE_DELAY", "1s", "WORKER_RETRY_MAX_DELAY", "1m",
                    "WORKER_RECEIVE_WAIT", "1s");
            RecordingQueueClient recorded = new RecordingQueueClient(TestWorkers.client(sqs));
            try (Worker w = TestWorkers.start(recorded, q.queueUrl(), WorkerPlugin.of(handler), env)) {
                sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(job("flaky", "test.job", "{\"failTimes\":3}")));
                assertTrue(eventually(Duration.ofSeconds(30), () -> handler.completed.size() == 1), "succeeds after retries");
                List<RecordingHandler.Run> starts = handler.started;
                assertEquals(4, starts.size());
                for (int i = 0; i < 4; i++) {
                    assertEquals(i + 1, starts.get(i).receiveCount(), "receive count grows with each delivery");
                }
                // d = base x 2^(n-1), drawn from [d/2, d] and rounded up to whole seconds: 1, then 1-2, then 2-4 s.
                List<Integer> delays = recorded.visibilityChanges.stream().map(RecordingQueueClient.VisibilityChange::seconds).toList();
                assertEquals(3, delays.size(), "one visibility change per failure: " + delays);
                assertEquals(1, delays.get(0));
                assertTrue(delays.get(1) >= 1 && delays.get(1) <= 2, delays.toString());
                assertTrue(delays.get(2) >= 2 && delays.get(2) <= 4, delays.toString());
                assertTrue(delays.get(2) > delays.get(0), "delays grow: " + delays);
                long gap3 = Duration.between(starts.get(2).start(), starts.get(3).start()).toMillis();
                assertTrue(gap3 >= 1_500, "the message stayed hidden for its delay, was visible again after " + gap3 + " ms");
                assertEquals(3, w.metrics().retried().value());
                // the handler returns before the runtime counts the outcome
                assertTrue(eventually(Duration.ofSeconds(10), () -> w.metrics().succeeded().value() == 1),
                        "one success counted");
            }
        }
    }
}
