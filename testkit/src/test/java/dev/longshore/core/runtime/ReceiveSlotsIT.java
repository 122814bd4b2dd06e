package dev.longshore.core.runtime;

import static dev.longshore.testkit.TestWorkers.eventually;
import static dev.longshore.testkit.TestWorkers.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.Worker;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.job.JobHandler;
import dev.longshore.core.testing.RecordingQueueClient;
import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.QueuePair;
import dev.longshore.testkit.TestWorkers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** README: How a message is handled, receive: a receive asks only for as many messages as there are free slots. */
class ReceiveSlotsIT {

    @Test
    void withTwoOfThreeSlotsBusyTheNextReceiveAsksForOneMessage() throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        List<String> running = new CopyOnWriteArrayList<>();
        JobHandler blocking = JobHandler.of("test.job", (job, context) -> {
            running.add(job.id());
            finish.await();
        });
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            QueuePair q = sqs.createQueueWithDeadLetter("slots", 5, Duration.ofSeconds(30));
            RecordingQueueClient recorded = new RecordingQueueClient(TestWorkers.client(sqs));
            try (Worker w = TestWorkers.start(recorded, q.queueUrl(), WorkerPlugin.of(blocking),
                    Map.of("WORKER_CONCURRENCY", "3", "WORKER_RECEIVE_WAIT", "1s"))) {
                sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(job("busy-1", "test.job", "{}")));
                sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(job("busy-2", "test.job", "{}")));
                assertTrue(eventually(Duration.ofSeconds(20), () -> running.size() == 2), "two jobs run");
                // Every receive issued after the one that brought the second job asks for the one free slot.
                int lastWithMessages = lastIndexWithMessages(recorded.receives);
                assertTrue(eventually(Duration.ofSeconds(20), () -> recorded.receives.size() >= lastWithMessages + 3),
                        "the worker keeps polling for its free slot");
                List<RecordingQueueClient.Receive> after = recorded.receives.subList(lastWithMessages + 1, recorded.receives.size());
                assertTrue(after.stream().allMatch(r -> r.max() == 1), "MaxNumberOfMessages with 2 of 3 slots busy: " + after);
                assertEquals(3, recorded.receives.get(0).max(), "an idle worker asks for all three: " + recorded.receives);
                finish.countDown();
            }
        }
    }

    private static int lastIndexWithMessages(List<RecordingQueueClient.Receive> receives) {
        List<RecordingQueueClient.Receive> snapshot = List.copyOf(receives);
        int last = -1;
        for (int i = 0; i < snapshot.size(); i++) {
            if (!snapshot.get(i).messageIds().isEmpty()) {
                last = i;
            }
        }
        return last;
    }
}
