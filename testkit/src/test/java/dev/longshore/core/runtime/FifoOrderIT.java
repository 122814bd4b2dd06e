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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

class FifoOrderIT {

    @Test
    void messagesOfOneGroupRunInOrderWhileGroupsRunInParallel() throws Exception {
        int groups = 4;
        int perGroup = 12;
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            QueuePair q = sqs.createQueueWithDeadLetter("ordered.fifo", 5, Duration.ofSeconds(30));
            RecordingHandler handler = new RecordingHandler("a");
            try (Worker w = TestWorkers.start(sqs, q.queueUrl(), WorkerPlugin.of(handler),
                    Map.of("WORKER_CONCURRENCY", "10", "WORKER_RECEIVE_WAIT", "1s", "WORKER_RETRY_BASE_DELAY", "1s"))) {
                for (int i = 0; i < perGroup; i++) {
                    List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
                    for (int g = 0; g < groups; g++) {
                        // Every third message fails once: order must survive retries too.
                        String payload = "{\"sleepMs\":" + (10 + (i * 7 + g * 13) % 40) + ",\"failTimes\":" + (i % 3 == 1 ? 1 : 0) + "}";
                        batch.add(SendMessageBatchRequestEntry.builder().id("g" + g + "m" + i)
                                .messageBody(job("g" + g + "-" + i, "test.job", payload))
                                .messageGroupId("group-" + g).messageDeduplicationId("g" + g + "-" + i).build());
                    }
                    sqs.client().sendMessageBatch(r -> r.queueUrl(q.queueUrl()).entries(batch));
                }
                assertTrue(eventually(Duration.ofSeconds(60), () -> handler.completed.size() == groups * perGroup),
                        "all messages processed, got " + handler.completed.size());
                for (int g = 0; g < groups; g++) {
                    String group = "group-" + g;
                    List<String> order = handler.completed.stream().filter(r -> r.group().equals(group))
                            .map(RecordingHandler.Run::jobId).toList();
                    List<String> expected = new ArrayList<>();
                    for (int i = 0; i < perGroup; i++) {
                        expected.add("g" + g + "-" + i);
                    }
                    assertEquals(expected, order, "order within " + group);
                }
                assertTrue(handler.maxRunning.get() > 1, "different groups ran in parallel");
            }
        }
    }
}
