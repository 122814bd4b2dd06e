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
import dev.longshore.core.testing.RecordingHandler;
import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.QueuePair;
import dev.longshore.testkit.TestWorkers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * README: How a message is handled: a redelivered job this process already finished is acknowledged without
 * running again, but only when its body is the same; a different body under a finished jobId is dead-lettered
 * as {@code job_id_reused}.
 */
class JobIdReuseIT {
    private EmbeddedSqs sqs;
    private QueuePair q;
    private RecordingHandler handler;
    private Worker w;

    @BeforeEach
    void startWorker() throws Exception {
        sqs = EmbeddedSqs.start();
        q = sqs.createQueueWithDeadLetter("job-id-reuse", 5, Duration.ofSeconds(30));
        handler = new RecordingHandler("a");
        w = TestWorkers.start(sqs, q.queueUrl(), WorkerPlugin.of(handler), Map.of("WORKER_RECEIVE_WAIT", "1s"));
    }

    @AfterEach
    void stopWorker() {
        if (w != null) {
            w.close();
        }
        sqs.close();
    }

    private void send(String body) {
        sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(body));
    }

    @Test
    void aRedeliveredFinishedJobWithTheSameBodyIsAcknowledgedWithoutRunning() throws Exception {
        String body = job("once", "test.job", "{\"n\":1}");
        send(body);
        assertTrue(eventually(Duration.ofSeconds(20), () -> w.metrics().succeeded().value() == 1));
        // The same job again, as a standard queue's second delivery would bring it.
        send(body);
        assertTrue(eventually(Duration.ofSeconds(20), () -> w.metrics().duplicatesSkipped().value() == 1));
        assertTrue(eventually(Duration.ofSeconds(10), () -> w.inflight() == 0 && messagesLeft(sqs, q.queueUrl()) == 0),
                "the redelivery is acknowledged (deleted)");
        assertEquals(1, handler.started.size(), "the job ran once");
        assertEquals(1, w.metrics().succeeded().value());
        assertEquals(0, w.metrics().deadLettered().value());
        assertEquals(0, messagesLeft(sqs, q.deadLetterQueueUrl()));
        assertTrue(w.metrics().prometheusText().contains("longshore_duplicates_skipped_total 1"));
    }

    @Test
    void aDifferentBodyUnderAFinishedJobIdGoesToTheDeadLetterQueueAsJobIdReused() throws Exception {
        send(job("order-7", "test.job", "{\"amount\":1}"));
        assertTrue(eventually(Duration.ofSeconds(20), () -> w.metrics().succeeded().value() == 1));
        String other = job("order-7", "test.job", "{\"amount\":1000}");
        send(other);
        List<Message> dead = awaitMessages(sqs, q.deadLetterQueueUrl(), 1, Duration.ofSeconds(20));
        assertEquals(1, dead.size());
        assertEquals(other, dead.get(0).body());
        assertEquals("job_id_reused", attribute(dead.get(0), "longshore.error"));
        assertTrue(attribute(dead.get(0), "longshore.reason").contains("order-7"), attribute(dead.get(0), "longshore.reason"));
        assertTrue(eventually(Duration.ofSeconds(10), () -> w.inflight() == 0 && messagesLeft(sqs, q.queueUrl()) == 0));
        assertEquals(1, handler.started.size(), "the second body never ran");
        assertEquals(0, w.metrics().duplicatesSkipped().value(), "not counted as a duplicate");
        assertEquals(1, w.metrics().deadLettered().value());
    }
}
