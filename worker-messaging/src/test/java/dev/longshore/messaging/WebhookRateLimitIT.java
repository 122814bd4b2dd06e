package dev.longshore.messaging;

import static dev.longshore.testkit.TestWorkers.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.Worker;
import dev.longshore.core.config.WorkerConfig;
import dev.longshore.core.metrics.Metrics;
import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.QueuePair;
import dev.longshore.testkit.TestWorkers;
import dev.longshore.testkit.WebhookReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Waiting for a rate-limit turn is not a failed attempt (docs/messaging.md: Rate limit): many jobs to one host
 * under a low limit, with jobs waiting longer than the message's visibility and a queue that dead-letters on the
 * second receive. Every job is delivered once and none reaches the dead-letter queue.
 */
class WebhookRateLimitIT {
    private static final int JOBS = 60;

    @Test
    void manyJobsToOneSlowHostAllWaitTheirTurnAndNoneIsDeadLettered() throws Exception {
        try (EmbeddedSqs sqs = EmbeddedSqs.start(); WebhookReceiver receiver = WebhookReceiver.start()) {
            QueuePair q = sqs.createQueueWithDeadLetter("rate-limited", 2, Duration.ofSeconds(2));
            for (int batch = 0; batch < JOBS / 10; batch++) {
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                for (int i = batch * 10; i < batch * 10 + 10; i++) {
                    entries.add(SendMessageBatchRequestEntry.builder().id("e" + i).messageBody(TestWorkers.job("hook-" + i,
                            "notify.webhook", "{\"url\":\"" + receiver.url("/tenant/" + i) + "\",\"body\":{\"n\":" + i + "}}")).build());
                }
                sqs.client().sendMessageBatch(b -> b.queueUrl(q.queueUrl()).entries(entries));
            }
            // 10/s with 32 jobs in flight: the last of them waits about 3 s, beyond the 2 s visibility.
            WorkerConfig config = TestWorkers.config(q.queueUrl(), Map.of(
                    "WORKER_CONCURRENCY", "32",
                    "WORKER_VISIBILITY_TIMEOUT", "2s",
                    "WORKER_WEBHOOK_RATE_LIMIT", "10",
                    "WORKER_PRIVATE_DESTINATIONS", "127.0.0.1",
                    "WORKER_RETRY_BASE_DELAY", "1s"));
            Metrics metrics = new Metrics();
            try (Worker worker = TestWorkers.create(sqs, config, new MessagingWorker().create(config, metrics, /* sends no messages of its own */ null), metrics)) {
                worker.start();
                assertTrue(eventually(Duration.ofSeconds(60), () -> metrics.succeeded().value() == JOBS),
                        "all delivered; succeeded " + metrics.succeeded().value() + ", retried " + metrics.retried().value()
                                + ", dead " + metrics.deadLettered().value());
                Map<String, Long> perJob = receiver.deliveries().stream()
                        .collect(Collectors.groupingBy(d -> d.header("X-Longshore-Job-Id"), Collectors.counting()));
                assertEquals(JOBS, perJob.size());
                perJob.forEach((id, n) -> assertEquals(1L, n, id + " delivered once"));
                assertEquals(0, metrics.retried().value(), "waiting for a turn never handed a message back");
                assertEquals(0, metrics.deadLettered().value());
                assertTrue(metrics.visibilityExtensions().value() > 0, "the heartbeat kept waiting jobs invisible");
                String text = metrics.prometheusText();
                assertTrue(text.contains("longshore_webhook_requests_total{outcome=\"2xx\"} " + JOBS), text);
                assertTrue(!text.contains("longshore_webhook_requests_total{outcome=\"rate_limited_wait\"} 0"), text);
            }
            assertTrue(sqs.client().receiveMessage(r -> r.queueUrl(q.deadLetterQueueUrl()).waitTimeSeconds(1))
                    .messages().isEmpty(), "nothing in the dead-letter queue");
        }
    }
}
