package dev.longshore.core.runtime;

import static dev.longshore.core.testing.QueueAssertions.messagesLeft;
import static dev.longshore.testkit.TestWorkers.eventually;
import static dev.longshore.testkit.TestWorkers.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.Worker;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.queue.QueueClient;
import dev.longshore.core.queue.QueueMessage;
import dev.longshore.core.queue.QueueUnavailableException;
import dev.longshore.core.testing.RecordingHandler;
import dev.longshore.core.testing.RecordingQueueClient;
import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.QueuePair;
import dev.longshore.testkit.TestWorkers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** README: How a message is handled, success: deletes are retried while SQS is unreachable. */
class DeleteRetryIT {
    private static final int FAILURES = 3;

    /** DeleteMessageBatch fails as a whole {@link #FAILURES} times, as when SQS cannot be reached. */
    private static final class FlakyDeletes extends RecordingQueueClient {
        final AtomicInteger calls = new AtomicInteger();

        FlakyDeletes(QueueClient delegate) {
            super(delegate);
        }

        @Override
        public Map<String, String> deleteBatch(String queueUrl, List<QueueMessage> messages) {
            if (calls.incrementAndGet() <= FAILURES) {
                throw new QueueUnavailableException("DeleteMessageBatch failed: Unable to execute HTTP request: Connection refused",
                        null);
            }
            return super.deleteBatch(queueUrl, messages);
        }
    }

    @Test
    void aDeleteThatFailsWhileSqsIsUnreachableIsRetriedUntilTheMessageIsDeletedOnce() throws Exception {
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            QueuePair q = sqs.createQueueWithDeadLetter("delete-retry", 5, Duration.ofSeconds(30));
            RecordingHandler handler = new RecordingHandler("a");
            FlakyDeletes client = new FlakyDeletes(TestWorkers.client(sqs));
            try (Worker w = TestWorkers.start(client, q.queueUrl(), WorkerPlugin.of(handler), Map.of("WORKER_RECEIVE_WAIT", "1s"))) {
                sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(job("keep-trying", "test.job", "{}")));
                assertTrue(eventually(Duration.ofSeconds(30), () -> client.deleted.size() == 1), "deleted in the end");
                assertTrue(eventually(Duration.ofSeconds(10), () -> messagesLeft(sqs, q.queueUrl()) == 0 && w.inflight() == 0),
                        "gone from the queue, so it cannot be delivered again");
                assertEquals(FAILURES + 1, client.calls.get(), "three failed tries, then one that worked");
                assertEquals(1, client.deleted.size(), "deleted exactly once");
                assertEquals(1, handler.started.size(), "never processed again");
                assertEquals(FAILURES, w.metrics().deleteErrors().value());
                assertEquals(1, w.metrics().succeeded().value());
            }
        }
    }
}
