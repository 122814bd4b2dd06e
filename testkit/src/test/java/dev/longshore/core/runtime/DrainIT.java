package dev.longshore.core.runtime;

import static dev.longshore.testkit.TestWorkers.eventually;
import static dev.longshore.testkit.TestWorkers.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.DrainReport;
import dev.longshore.core.ExitCodes;
import dev.longshore.core.Worker;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.WorkerState;
import dev.longshore.core.queue.QueueClient;
import dev.longshore.core.queue.QueueMessage;
import dev.longshore.core.testing.RecordingHandler;
import dev.longshore.core.testing.RecordingQueueClient;
import dev.longshore.testkit.TestWorkers;
import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.QueuePair;
import dev.longshore.testkit.SqsTap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DrainIT {

    @Test
    void idleWorkerDrainsWithoutWaitingForTheLongPoll() throws Exception {
        try (EmbeddedSqs sqs = EmbeddedSqs.start(); SqsTap tap = SqsTap.inFrontOf(sqs)) {
            QueuePair q = sqs.createQueueWithDeadLetter("idle", 5, Duration.ofSeconds(30));
            Worker w = TestWorkers.start(tap.endpoint(), EmbeddedSqs.REGION, EmbeddedSqs.ACCESS_KEY, EmbeddedSqs.SECRET_KEY,
                    q.queueUrl(), WorkerPlugin.of(new RecordingHandler("a")), Map.of());
            assertTrue(eventually(Duration.ofSeconds(10), () -> w.state() == WorkerState.READY));
            assertTrue(eventually(Duration.ofSeconds(10), () -> tap.inFlight("ReceiveMessage") == 1), "inside the 20 s long poll");
            long start = System.nanoTime();
            DrainReport report = w.drain("test", Duration.ofSeconds(30), ExitCodes.OK).get(10, TimeUnit.SECONDS);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMs < 3_000, "idle drain took " + tookMs + " ms");
            assertEquals(WorkerState.TERMINATED, w.state());
            assertEquals(0, report.released());
            w.close();
        }
    }

    @Test
    void runningJobsFinishWithinTheBudgetAndTheRestAreReleasedAtTheDeadline() throws Exception {
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            QueuePair q = sqs.createQueueWithDeadLetter("deadline", 5, Duration.ofSeconds(30));
            RecordingHandler handler = new RecordingHandler("a");
            Worker w = TestWorkers.start(sqs, q.queueUrl(), WorkerPlugin.of(handler),
                    Map.of("WORKER_CONCURRENCY", "2", "WORKER_RECEIVE_WAIT", "1s"));
            sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(job("short", "test.job", "{\"sleepMs\":500}")));
            sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(job("endless", "test.job", "{\"sleepMs\":600000}")));
            assertTrue(eventually(Duration.ofSeconds(10), () -> handler.started.size() == 2));
            DrainReport report = w.drain("test", Duration.ofSeconds(2), ExitCodes.OK).get(20, TimeUnit.SECONDS);
            assertEquals(1, report.released(), "the endless job was cancelled and released");
            assertEquals(1, handler.completed.size());
            assertEquals("short", handler.completed.get(0).jobId());
            // Released means visible again at once (visibility 0), not after the 30 s queue timeout.
            var back = sqs.client().receiveMessage(r -> r.queueUrl(q.queueUrl()).waitTimeSeconds(2)).messages();
            assertEquals(1, back.size());
            assertTrue(back.get(0).body().contains("endless"));
            var stats = sqs.client().getQueueAttributes(r -> r.queueUrl(q.queueUrl()).attributeNamesWithStrings("All")).attributesAsStrings();
            assertEquals("1", stats.get("ApproximateNumberOfMessagesNotVisible"), "the short job was deleted, only the one we hold is in flight");
            w.close();
        }
    }

    /** A receive whose answer reaches the worker only after the drain began (the abort came too late for it). */
    private static final class LateAnswers extends RecordingQueueClient {
        final CountDownLatch holding = new CountDownLatch(1);

        LateAnswers(QueueClient delegate) {
            super(delegate);
        }

        @Override
        public List<QueueMessage> receive(String queueUrl, int max, int waitSeconds, int visibilitySeconds) {
            List<QueueMessage> got = super.receive(queueUrl, max, waitSeconds, visibilitySeconds);
            if (!got.isEmpty()) {
                holding.countDown();
                try {
                    receivesAborted.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return got;
        }
    }

    @Test
    void messagesALateReceiveReturnsAfterTheDrainBeganAreReleasedAtOnceAndNeverProcessed() throws Exception {
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            QueuePair q = sqs.createQueueWithDeadLetter("late", 5, Duration.ofSeconds(30));
            RecordingHandler handler = new RecordingHandler("a");
            LateAnswers client = new LateAnswers(TestWorkers.client(sqs));
            Worker w = TestWorkers.start(client, q.queueUrl(), WorkerPlugin.of(handler), Map.of("WORKER_RECEIVE_WAIT", "1s"));
            try {
                sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(job("late", "test.job", "{}")));
                assertTrue(client.holding.await(20, TimeUnit.SECONDS), "a receive got the message");
                DrainReport report = w.drain("test", Duration.ofSeconds(5), ExitCodes.OK).get(20, TimeUnit.SECONDS);
                assertEquals(1, report.released());
            } finally {
                w.close();
            }
            String id = client.receives.stream().filter(r -> !r.messageIds().isEmpty()).findFirst().orElseThrow()
                    .messageIds().get(0);
            assertEquals(List.of(0), client.visibilityChangesOf(id), "released with visibility 0");
            assertEquals(0, handler.started.size(), "never processed");
            assertEquals(1, w.metrics().released().value());
            // Visible again at once, not after the 30 s asked on receive.
            var back = sqs.client().receiveMessage(r -> r.queueUrl(q.queueUrl()).waitTimeSeconds(5)).messages();
            assertEquals(1, back.size());
            assertTrue(back.get(0).body().contains("late"));
        }
    }
}
