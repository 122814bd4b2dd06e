package dev.longshore.core.runtime;

import static dev.longshore.core.testing.QueueAssertions.attribute;
import static dev.longshore.core.testing.QueueAssertions.awaitMessages;
import static dev.longshore.core.testing.QueueAssertions.messagesLeft;
import static dev.longshore.testkit.TestWorkers.eventually;
import static dev.longshore.testkit.TestWorkers.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.Worker;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.job.JobHandler;
import dev.longshore.core.job.RetryableFailure;
import dev.longshore.core.testing.RecordingQueueClient;
import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.LogCapture;
import dev.longshore.testkit.QueuePair;
import dev.longshore.testkit.TestWorkers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * README: How a message is handled, last attempt: a retryable failure on the last receive the RedrivePolicy
 * allows sends the message to the dead-letter queue with that failure's code and reason, so no message reaches
 * it without a reason.
 */
class LastAttemptIT {
    private static final Map<String, String> FAST = Map.of("WORKER_RETRY_BASE_DELAY", "1s", "WORKER_RETRY_MAX_DELAY", "1s",
            "WORKER_RECEIVE_WAIT", "1s");

    @Test
    void retryableFailureOnTheLastAttemptGoesToTheDeadLetterQueueWithItsCodeAndReason() throws Exception {
        Message dead = runUntilDeadLettered(n -> new RetryableFailure("upstream_503", "upstream answered 503 on attempt " + n),
                "retry-last");
        assertEquals("upstream_503", attribute(dead, "longshore.error"));
        assertEquals("upstream answered 503 on attempt 2", attribute(dead, "longshore.reason"),
                "the reason of the last failure, not the first");
    }

    @Test
    void unexpectedExceptionOnTheLastAttemptGoesToTheDeadLetterQueueWithItsReason() throws Exception {
        Message dead = runUntilDeadLettered(n -> new IllegalStateException("boom " + n), "unexpected-last");
        assertEquals("handler_error", attribute(dead, "longshore.error"));
        assertEquals("IllegalStateException: boom 2", attribute(dead, "longshore.reason"));
    }

    /** Runs a handler that fails every attempt with {@code failure} of its receive count, until the message is dead. */
    private static Message runUntilDeadLettered(IntFunction<Exception> failure, String queue) throws Exception {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        JobHandler handler = JobHandler.of("test.job", (job, context) -> {
            attempts.add(job.receiveCount());
            throw failure.apply(job.receiveCount());
        });
        try (EmbeddedSqs sqs = EmbeddedSqs.start(); LogCapture log = new LogCapture(MessageProcessor.class)) {
            QueuePair q = sqs.createQueueWithDeadLetter(queue, 2, Duration.ofSeconds(30));
            RecordingQueueClient client = new RecordingQueueClient(TestWorkers.client(sqs));
            try (Worker w = TestWorkers.start(client, q.queueUrl(), WorkerPlugin.of(handler), FAST)) {
                String body = job("doomed", "test.job", "{\"n\":1}");
                sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(body));
                List<Message> dead = awaitMessages(sqs, q.deadLetterQueueUrl(), 1, Duration.ofSeconds(30));
                assertEquals(1, dead.size(), "moved to the dead-letter queue");
                assertEquals(body, dead.get(0).body(), "the original body");
                assertEquals(List.of(1, 2), attempts, "attempt 1 retried, attempt 2 (the last) dead-lettered");
                assertEquals(1, client.visibilityChanges.size(), "one backoff, for the first attempt only: "
                        + client.visibilityChanges);
                assertTrue(eventually(Duration.ofSeconds(10), () -> w.inflight() == 0 && messagesLeft(sqs, q.queueUrl()) == 0),
                        "the source is deleted");
                assertEquals(1, w.metrics().deadLettered().value(), "counted as outcome=\"dead\"");
                assertEquals(1, w.metrics().retried().value());
                assertTrue(w.metrics().prometheusText().contains("longshore_messages_processed_total{outcome=\"dead\"} 1"));
                assertEquals(1, log.messagesAt("ERROR").stream()
                        .filter(m -> m.contains("last attempt (receive 2 of maxReceiveCount 2)")
                                && m.contains("moved to the dead-letter queue")).count(), log.messagesAt("ERROR").toString());
                return dead.get(0);
            }
        }
    }
}
