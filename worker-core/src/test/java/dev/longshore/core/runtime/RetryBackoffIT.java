package dev.longshore.core.runtime;

import static dev.longshore.core.testing.TestWorkers.eventually;
import static dev.longshore.core.testing.TestWorkers.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.Worker;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.testing.RecordingHandler;
import dev.longshore.core.testing.TestWorkers;
import dev.longshore.local.EmbeddedSqs;
import dev.longshore.local.QueuePair;
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
            try (Worker w = TestWorkers.start(sqs, q.queueUrl(), WorkerPlugin.of(handler), env)) {
                sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(job("flaky", "test.job", "{\"failTimes\":3}")));
                assertTrue(eventually(Duration.ofSeconds(30), () -> handler.completed.size() == 1), "succeeds after retries");
                List<RecordingHandler.Run> starts = handler.started;
                assertEquals(4, starts.size());
                for (int i = 0; i < 4; i++) {
                    assertEquals(i + 1, starts.get(i).receiveCount(), "receive count grows with each delivery");
                }
                long gap1 = Duration.between(starts.get(0).start(), starts.get(1).start()).toMillis();
                long gap3 = Duration.between(starts.get(2).start(), starts.get(3).start()).toMillis();
                // d = base x 2^(n-1) with jitter in [d/2, d], rounded up to whole seconds: gap1 ~ 1 s, gap3 in 2-4 s.
                assertTrue(gap1 >= 400 && gap1 < 2_500, "first retry after ~1 s, was " + gap1);
                assertTrue(gap3 >= 1_900, "third retry waits at least 2 s, was " + gap3);
                assertTrue(gap3 > gap1, "delays grow: " + gap1 + " then " + gap3);
                assertEquals(3, w.metrics().retried.value());
                assertEquals(1, w.metrics().succeeded.value());
            }
        }
    }
}
