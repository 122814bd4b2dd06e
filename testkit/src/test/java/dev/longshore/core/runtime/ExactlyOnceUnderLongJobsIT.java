package dev.longshore.core.runtime;

import static dev.longshore.testkit.TestWorkers.eventually;
import static dev.longshore.testkit.TestWorkers.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.Worker;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.testing.RecordingHandler;
import dev.longshore.testkit.TestWorkers;
import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.QueuePair;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ExactlyOnceUnderLongJobsIT {

    @Test
    void jobRunningTenTimesTheVisibilityTimeoutIsDeliveredOnceAcrossTwoWorkers() throws Exception {
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            QueuePair q = sqs.createQueueWithDeadLetter("long-jobs", 5, Duration.ofSeconds(1));
            RecordingHandler a = new RecordingHandler("a");
            RecordingHandler b = new RecordingHandler("b");
            Map<String, String> env = Map.of("WORKER_VISIBILITY_TIMEOUT", "1s", "WORKER_CONCURRENCY", "2",
                    "WORKER_RECEIVE_WAIT", "1s");
            try (Worker wa = TestWorkers.start(sqs, q.queueUrl(), WorkerPlugin.of(a), env);
                 Worker wb = TestWorkers.start(sqs, q.queueUrl(), WorkerPlugin.of(b), env)) {
                for (int i = 0; i < 3; i++) {
                    String body = job("long-" + i, "test.job", "{\"sleepMs\":10000}");
                    sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(body));
                }
                assertTrue(eventually(Duration.ofSeconds(40), () -> a.completed.size() + b.completed.size() == 3),
                        "all three long jobs complete");
                // Leave time for any duplicate delivery to show up after the jobs ended.
                Thread.sleep(2500);
                Map<String, Long> runs = java.util.stream.Stream.concat(a.started.stream(), b.started.stream())
                        .collect(Collectors.groupingBy(RecordingHandler.Run::jobId, Collectors.counting()));
                assertEquals(Map.of("long-0", 1L, "long-1", 1L, "long-2", 1L), runs, "each job started exactly once");
                assertTrue(wa.metrics().visibilityExtensions().value() + wb.metrics().visibilityExtensions().value() >= 15,
                        "visibility was extended while the jobs ran");
                assertTrue(eventually(Duration.ofSeconds(5), () -> wa.inflight() + wb.inflight() == 0));
                var left = sqs.client().getQueueAttributes(r -> r.queueUrl(q.queueUrl()).attributeNamesWithStrings("All"))
                        .attributesAsStrings();
                assertEquals("0", left.get("ApproximateNumberOfMessages"));
                assertEquals("0", left.get("ApproximateNumberOfMessagesNotVisible"));
            }
        }
    }
}
