package dev.longshore.messaging;

import static dev.longshore.testkit.TestWorkers.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.testkit.WorkerProcess;
import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.QueuePair;
import dev.longshore.testkit.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** worker-messaging as deployed: its own JVM, real SQS protocol, real HTTP. */
class MessagingWorkerIT {

    @Test
    void deliversWebhooksOnceRetriesFailuresAndDeadLettersRefusedDestinations() throws Exception {
        try (EmbeddedSqs sqs = EmbeddedSqs.start(); WebhookReceiver receiver = WebhookReceiver.start();
             HttpClient http = HttpClient.newHttpClient()) {
            QueuePair q = sqs.createQueueWithDeadLetter("notifications", 5, Duration.ofSeconds(30));
            int port = EmbeddedSqs.freePort();
            Map<String, String> env = sqs.workerEnvironment(q.queueUrl());
            env.put("WORKER_HEALTH_PORT", String.valueOf(port));
            env.put("WORKER_RETRY_BASE_DELAY", "1s");
            env.put("WORKER_WEBHOOK_TIMEOUT", "5s");
            env.put("WORKER_PRIVATE_DESTINATIONS", "127.0.0.1");
            int total = 30;
            receiver.failNext("/hooks/7", 1);
            receiver.failNext("/hooks/13", 2);
            for (int i = 0; i < total; i++) {
                String body = "{\"jobId\":\"hook-" + i + "\",\"type\":\"notify.webhook\",\"payload\":{\"url\":\""
                        + receiver.url("/hooks/" + i) + "\",\"body\":{\"n\":" + i + "}}}";
                sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(body));
            }
            sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(
                    "{\"jobId\":\"steal\",\"type\":\"notify.webhook\",\"payload\":{\"url\":\"http://169.254.169.254/latest/meta-data/iam/\"}}"));
            try (WorkerProcess w = WorkerProcess.start(Main.class, env)) {
                assertTrue(eventually(Duration.ofSeconds(60), () -> okDeliveries(receiver).size() == total),
                        "all webhooks delivered; got " + okDeliveries(receiver).size() + "\n" + w.stdout());
                Map<String, Long> perJob = okDeliveries(receiver).stream()
                        .collect(Collectors.groupingBy(d -> d.header("X-Longshore-Job-Id"), Collectors.counting()));
                assertEquals(total, perJob.size());
                perJob.forEach((id, n) -> assertEquals(1L, n, id + " delivered once"));
                assertEquals(3, receiver.deliveries().size() - total, "three 503 answers were retried");

                List<Message> dead = new ArrayList<>();
                assertTrue(eventually(Duration.ofSeconds(10), () -> {
                    dead.addAll(sqs.client().receiveMessage(r -> r.queueUrl(q.deadLetterQueueUrl())
                            .messageAttributeNames("All").visibilityTimeout(60)).messages());
                    return !dead.isEmpty();
                }));
                assertEquals("webhook_forbidden_address", dead.get(0).messageAttributes().get("longshore.error").stringValue());

                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, ready.statusCode(), ready.body());
                String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(metrics.contains("longshore_messages_processed_total{outcome=\"success\"} " + total), metrics);
                assertTrue(metrics.contains("longshore_messages_processed_total{outcome=\"retry\"} 3"), metrics);
                assertTrue(metrics.contains("longshore_messages_processed_total{outcome=\"dead\"} 1"), metrics);
                assertTrue(metrics.contains("longshore_messages_received_total 34"), metrics);
                assertTrue(metrics.contains("longshore_state{state=\"READY\"} 1"), metrics);
                assertTrue(metrics.contains("longshore_processing_seconds_count 34"), metrics);
                assertTrue(metrics.contains("longshore_inflight_messages 0.0"), metrics);
                assertTrue(metrics.contains("longshore_visibility_extensions_total"), metrics);

                w.sigterm();
                assertEquals(0, w.awaitExit(Duration.ofSeconds(15)));
                assertEquals("", w.stderr());
            }
        }
    }

    @Test
    void invalidAllowListExitsTwoWithOneLine() throws Exception {
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            QueuePair q = sqs.createQueueWithDeadLetter("cfg", 5, Duration.ofSeconds(30));
            Map<String, String> env = new HashMap<>(sqs.workerEnvironment());
            env.put("WORKER_QUEUE_URL", q.queueUrl());
            env.put("WORKER_HEALTH_PORT", "off");
            env.put("WORKER_WEBHOOK_ALLOWED_HOSTS", "hooks.example.com:443");
            try (WorkerProcess w = WorkerProcess.start(Main.class, env)) {
                assertEquals(2, w.awaitExit(Duration.ofSeconds(20)));
                List<String> lines = w.stderr().lines().toList();
                assertEquals(1, lines.size(), w.stderr());
                assertTrue(lines.get(0).contains("WORKER_WEBHOOK_ALLOWED_HOSTS=\"hooks.example.com:443\""), lines.get(0));
            }
        }
    }

    private static List<WebhookReceiver.Delivery> okDeliveries(WebhookReceiver receiver) {
        Map<String, Long> failures = new HashMap<>(Map.of("/hooks/7", 1L, "/hooks/13", 2L));
        List<WebhookReceiver.Delivery> ok = new ArrayList<>();
        for (WebhookReceiver.Delivery d : receiver.deliveries()) {
            long left = failures.getOrDefault(d.path(), 0L);
            if (left > 0) {
                failures.put(d.path(), left - 1);
            } else {
                ok.add(d);
            }
        }
        return ok;
    }
}
