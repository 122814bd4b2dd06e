package dev.longshore.core.runtime;

import static dev.longshore.core.testing.QueueAssertions.messagesLeft;
import static dev.longshore.testkit.TestWorkers.eventually;
import static dev.longshore.testkit.TestWorkers.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.Worker;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.job.JobHandler;
import dev.longshore.core.testing.RecordingHandler;
import dev.longshore.core.testing.RecordingQueueClient;
import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.LogCapture;
import dev.longshore.testkit.QueuePair;
import dev.longshore.testkit.TestWorkers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** README: How a message is handled: what stays on the retry path. */
class RetryPathIT {
    private static final Map<String, String> FAST = Map.of("WORKER_RETRY_BASE_DELAY", "1s", "WORKER_RETRY_MAX_DELAY", "1s",
            "WORKER_RECEIVE_WAIT", "1s");

    @Test
    void anUnexpectedExceptionFromAHandlerIsRetriedWithTheBackoffNotDeadLettered() throws Exception {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        JobHandler throwsTwice = JobHandler.of("test.job", (job, context) -> {
            attempts.add(job.receiveCount());
            if (job.receiveCount() <= 2) {
                throw new IllegalStateException("not yet, attempt " + job.receiveCount());
            }
        });
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            QueuePair q = sqs.createQueueWithDeadLetter("unexpected", 5, Duration.ofSeconds(30));
            RecordingQueueClient client = new RecordingQueueClient(TestWorkers.client(sqs));
            try (Worker w = TestWorkers.start(client, q.queueUrl(), WorkerPlugin.of(throwsTwice), FAST)) {
                sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(job("flaky", "test.job", "{}")));
                assertTrue(eventually(Duration.ofSeconds(30), () -> w.metrics().succeeded().value() == 1), "succeeds on attempt 3");
                assertEquals(List.of(1, 2, 3), attempts);
                assertEquals(List.of(1, 1), client.visibilityChanges.stream().map(RecordingQueueClient.VisibilityChange::seconds)
                        .toList(), "each exception set the visibility to the backoff delay (1 s here)");
                assertEquals(2, w.metrics().retried().value());
                assertEquals(0, w.metrics().deadLettered().value());
                assertEquals(0, messagesLeft(sqs, q.deadLetterQueueUrl()), "not dead-lettered before maxReceiveCount");
            }
        }
    }

    @Test
    void withoutADeadLetterQueueAPermanentFailureStaysOnTheRetryPathWithAnErrorLogged() throws Exception {
        try (EmbeddedSqs sqs = EmbeddedSqs.start(); LogCapture log = new LogCapture(MessageProcessor.class)) {
            String queue = sqs.createQueue("no-dlq", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"));
            RecordingHandler handler = new RecordingHandler("a");
            try (Worker w = TestWorkers.start(sqs, queue, WorkerPlugin.of(handler), FAST)) {
                sqs.client().sendMessage(r -> r.queueUrl(queue).messageBody(job("refused", "test.job", "{\"permanent\":true}")));
                assertTrue(eventually(Duration.ofSeconds(30), () -> handler.started.size() >= 2),
                        "delivered again after the backoff: " + handler.started);
                assertEquals(2, handler.started.get(1).receiveCount());
                assertTrue(log.messagesAt("ERROR").stream().anyMatch(m -> m.contains("test_permanent")
                        && m.contains("no dead-letter queue")), log.messagesAt("ERROR").toString());
                assertEquals(0, w.metrics().deadLettered().value());
                assertTrue(w.metrics().retried().value() >= 1);
                assertEquals(1, messagesLeft(sqs, queue), "still on the queue");
            }
        }
    }
}
