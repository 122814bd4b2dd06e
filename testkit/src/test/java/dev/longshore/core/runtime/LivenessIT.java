package dev.longshore.core.runtime;

import static dev.longshore.testkit.TestWorkers.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.Worker;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.WorkerState;
import dev.longshore.core.metrics.Metrics;
import dev.longshore.core.queue.QueueClient;
import dev.longshore.core.queue.QueueMessage;
import dev.longshore.core.testing.RecordingHandler;
import dev.longshore.core.testing.RecordingQueueClient;
import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.MutableClock;
import dev.longshore.testkit.QueuePair;
import dev.longshore.testkit.TestWorkers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * README: Health and metrics: {@code /health/live} answers 503 when the worker is wedged, which the runtime
 * defines as a poller that has not gone round its loop for {@link ReceivePipeline#WEDGED_AFTER} beyond its long
 * poll. Driven with the worker's clock and a receive that hangs, so no test waits 90 s.
 */
class LivenessIT {

    /** Once {@link #hang} is set, the next receive never returns until {@link #unhang} is counted down. */
    private static final class HangingClient extends RecordingQueueClient {
        volatile boolean hang;
        final CountDownLatch hanging = new CountDownLatch(1);
        final CountDownLatch unhang = new CountDownLatch(1);

        HangingClient(QueueClient delegate) {
            super(delegate);
        }

        @Override
        public List<QueueMessage> receive(String queueUrl, int max, int waitSeconds, int visibilitySeconds) {
            if (hang) {
                hanging.countDown();
                try {
                    unhang.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return List.of();
            }
            return super.receive(queueUrl, max, waitSeconds, visibilitySeconds);
        }
    }

    @Test
    void liveAnswers503WhileThePollerIsStuckAnd200OnceItMovesAgain() throws Exception {
        MutableClock clock = MutableClock.atEpoch();
        try (EmbeddedSqs sqs = EmbeddedSqs.start(); HttpClient http = HttpClient.newHttpClient()) {
            QueuePair q = sqs.createQueueWithDeadLetter("wedged", 5, Duration.ofSeconds(30));
            HangingClient client = new HangingClient(TestWorkers.client(sqs));
            try (Worker w = new Worker(TestWorkers.config(q.queueUrl(), Map.of("WORKER_RECEIVE_WAIT", "1s", "WORKER_HEALTH_PORT", "0")),
                    WorkerPlugin.of(new RecordingHandler("a")), client, new Metrics(), clock)) {
                w.start();
                URI live = URI.create("http://127.0.0.1:" + w.healthPort() + "/health/live");
                assertTrue(eventually(Duration.ofSeconds(20), () -> w.state() == WorkerState.READY));
                assertEquals(200, status(http, live));

                client.hang = true;
                assertTrue(client.hanging.await(20, java.util.concurrent.TimeUnit.SECONDS), "the poller is stuck in a receive");
                clock.advance(ReceivePipeline.WEDGED_AFTER.plusSeconds(1).plus(Duration.ofMinutes(1)));
                HttpResponse<String> wedged = http.send(HttpRequest.newBuilder(live).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(503, wedged.statusCode(), wedged.body());
                assertTrue(wedged.body().contains("\"live\":false"), wedged.body());

                client.hang = false;
                client.unhang.countDown();
                assertTrue(eventually(Duration.ofSeconds(20), () -> status(http, live) == 200), "live again once the poller moves");
            }
        }
    }

    private static int status(HttpClient http, URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
