package dev.longshore.core.runtime;

import static dev.longshore.testkit.TestWorkers.eventually;
import static dev.longshore.testkit.TestWorkers.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.ExitCodes;
import dev.longshore.core.Worker;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.config.WorkerConfig;
import dev.longshore.core.job.JobHandler;
import dev.longshore.core.metrics.Metrics;
import dev.longshore.core.queue.QueueClient;
import dev.longshore.core.queue.QueueMessage;
import dev.longshore.core.testing.RecordingQueueClient;
import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.MutableClock;
import dev.longshore.testkit.QueuePair;
import dev.longshore.testkit.TestWorkers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * README: How a message is handled / Signals: with WORKER_VISIBILITY_TIMEOUT unset a receive asks for a short
 * visibility (30 s in production; 2 s here through the config object), the heartbeat extends a running job to
 * the derived value, and a message handed to a poll the drain abandoned comes back after the short value.
 */
class ReceiveVisibilityIT {
    private static final Duration SHORT = Duration.ofSeconds(2);

    /** A worker's queue client whose receives, once {@link #abandon} is set, lose what the server handed out. */
    private static final class AbandoningClient extends RecordingQueueClient {
        volatile boolean abandon;
        final List<QueueMessage> abandoned = new CopyOnWriteArrayList<>();

        AbandoningClient(QueueClient delegate) {
            super(delegate);
        }

        @Override
        public List<QueueMessage> receive(String queueUrl, int max, int waitSeconds, int visibilitySeconds) {
            if (abandon && !abandoned.isEmpty()) {
                try {
                    receivesAborted.await(waitSeconds, TimeUnit.SECONDS); // an empty long poll, cut short by the drain
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return List.of();
            }
            List<QueueMessage> got = super.receive(queueUrl, max, waitSeconds, visibilitySeconds);
            if (abandon && !got.isEmpty()) {
                // The server handed the message out with the visibility asked for; the answer never reaches the worker.
                abandoned.addAll(got);
                return List.of();
            }
            return got;
        }
    }

    @Test
    void aMessageHandedToAnAbandonedReceiveComesBackAfterTheShortVisibilityEvenAfterLongJobs() throws Exception {
        MutableClock clock = MutableClock.atEpoch();
        CountDownLatch releaseHeld = new CountDownLatch(1);
        List<String> started = new CopyOnWriteArrayList<>();
        JobHandler handler = JobHandler.of("test.job", (job, context) -> {
            started.add(job.id());
            // A 20-minute job, on the worker's clock: the derived visibility becomes 3 x 20 min = 1 h.
            clock.advance(Duration.ofMinutes(job.payload().path("minutes").asLong(0)));
            if (job.payload().path("hold").asBoolean(false)) {
                releaseHeld.await();
            }
        });
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            QueuePair q = sqs.createQueueWithDeadLetter("short-receive", 5, Duration.ofSeconds(30));
            WorkerConfig config = TestWorkers.config(q.queueUrl(), Map.of("WORKER_RECEIVE_WAIT", "1s", "WORKER_CONCURRENCY", "1"))
                    .withDefaultReceiveVisibility(SHORT);
            AbandoningClient client = new AbandoningClient(TestWorkers.client(sqs));
            Worker w = new Worker(config, WorkerPlugin.of(handler), client, new Metrics(), clock);
            try {
                w.start();
                sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(job("long", "test.job", "{\"minutes\":20}")));
                assertTrue(eventually(Duration.ofSeconds(20), () -> w.metrics().succeeded().value() == 1));

                // A job running now: received with the short visibility, then extended to the derived hour.
                sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(job("held", "test.job", "{\"hold\":true}")));
                assertTrue(eventually(Duration.ofSeconds(20), () -> started.contains("held")));
                RecordingQueueClient.Receive heldReceive = client.receives.stream()
                        .filter(r -> !r.messageIds().isEmpty()).toList().get(1);
                String heldId = heldReceive.messageIds().get(0);
                assertEquals(SHORT.toSeconds(), heldReceive.visibilitySeconds(), "receive asks for the short visibility");
                assertTrue(eventually(Duration.ofSeconds(20), () -> client.visibilityChangesOf(heldId).contains(3600)),
                        "the heartbeat extends the running job to 3 x mean processing time: " + client.visibilityChanges);
                releaseHeld.countDown();
                assertTrue(eventually(Duration.ofSeconds(20), () -> w.metrics().succeeded().value() == 2));

                // A receive the drain abandons after the server handed a message to it.
                client.abandon = true;
                sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(job("abandoned", "test.job", "{}")));
                assertTrue(eventually(Duration.ofSeconds(20), () -> !client.abandoned.isEmpty()), "the server handed it out");
                assertEquals(SHORT.toSeconds(), client.receives.get(client.receives.size() - 1).visibilitySeconds(),
                        "still the short visibility after the derived one grew to an hour");
                w.drain("test", Duration.ofSeconds(5), ExitCodes.OK).get(20, TimeUnit.SECONDS);
            } finally {
                w.close();
            }
            // Back after the short visibility: the worker never saw it, so nothing released it early.
            List<Message> back = new CopyOnWriteArrayList<>();
            assertTrue(eventually(Duration.ofSeconds(20), () -> {
                back.addAll(sqs.client().receiveMessage(r -> r.queueUrl(q.queueUrl()).waitTimeSeconds(1)).messages());
                return !back.isEmpty();
            }), "the abandoned message is visible again within the short receive visibility, not after an hour");
            assertTrue(back.get(0).body().contains("abandoned"));
            assertEquals(List.of("long", "held"), started, "the abandoned message was never processed");
        }
    }
}
