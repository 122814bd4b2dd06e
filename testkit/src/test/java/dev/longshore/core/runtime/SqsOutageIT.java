package dev.longshore.core.runtime;

import static dev.longshore.testkit.TestWorkers.eventually;
import static dev.longshore.testkit.TestWorkers.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.Worker;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.WorkerState;
import dev.longshore.core.testing.RecordingHandler;
import dev.longshore.testkit.TestWorkers;
import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.QueuePair;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqsOutageIT {

    @Test
    void workerReportsNotReadyWhileSqsIsDownAndResumesInTheSameProcess() throws Exception {
        try (EmbeddedSqs sqs = EmbeddedSqs.start(); HttpClient http = HttpClient.newHttpClient()) {
            QueuePair q = sqs.createQueueWithDeadLetter("outage", 5, Duration.ofSeconds(30));
            RecordingHandler handler = new RecordingHandler("a");
            try (Worker w = TestWorkers.start(sqs, q.queueUrl(), WorkerPlugin.of(handler),
                    Map.of("WORKER_RECEIVE_WAIT", "1s", "WORKER_HEALTH_PORT", "0"))) {
                URI ready = URI.create("http://127.0.0.1:" + w.healthPort() + "/health/ready");
                URI live = URI.create("http://127.0.0.1:" + w.healthPort() + "/health/live");
                sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(job("before", "test.job", "{}")));
                assertTrue(eventually(Duration.ofSeconds(10), () -> handler.completed.size() == 1));
                assertEquals(200, http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString()).statusCode());

                sqs.stopServer();
                assertTrue(eventually(Duration.ofSeconds(15), () -> w.state() == WorkerState.PAUSED), "paused while SQS is down");
                HttpResponse<String> notReady = http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(503, notReady.statusCode());
                assertTrue(notReady.body().contains("\"state\":\"PAUSED\"") && notReady.body().contains("SQS unreachable"), notReady.body());
                assertEquals(200, http.send(HttpRequest.newBuilder(live).build(), HttpResponse.BodyHandlers.ofString()).statusCode(),
                        "still live: an SQS outage is not a reason to restart");

                sqs.restartServer();
                QueuePair again = sqs.createQueueWithDeadLetter("outage", 5, Duration.ofSeconds(30));
                assertEquals(q.queueUrl(), again.queueUrl());
                sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(job("after", "test.job", "{}")));
                assertTrue(eventually(Duration.ofSeconds(45), () -> handler.completed.size() == 2), "resumes after the outage");
                assertTrue(eventually(Duration.ofSeconds(5), () -> w.state() == WorkerState.READY));
                assertTrue(w.metrics().receiveErrors().value() > 0);
            }
        }
    }
}
