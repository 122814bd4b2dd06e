package dev.longshore.core.runtime;

import static dev.longshore.testkit.TestWorkers.eventually;
import static dev.longshore.testkit.TestWorkers.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.Worker;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.WorkerState;
import dev.longshore.core.testing.RecordingHandler;
import dev.longshore.testkit.TestWorkers;
import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.QueuePair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

class DeadLetterIT {

    @Test
    void poisonMessagesOfEachKindGoToTheDeadLetterQueueWithErrorAndReason() throws Exception {
        Map<String, String> poison = new HashMap<>();
        poison.put("not json at all {", "malformed_json");
        poison.put("[1,2,3]", "malformed_json");
        poison.put("{\"type\":\"test.job\",\"payload\":{}}", "invalid_job_id");
        poison.put("{\"jobId\":\"../../etc/passwd\",\"type\":\"test.job\",\"payload\":{}}", "invalid_job_id");
        poison.put(job("p-unknown", "video.transcode", "{}"), "unknown_type");
        poison.put(job("p-payload", "test.job", "[\"not\",\"an\",\"object\"]"), "invalid_payload");
        poison.put(job("p-verdict", "test.job", "{\"permanent\":true}"), "test_permanent");
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            QueuePair q = sqs.createQueueWithDeadLetter("poison", 5, Duration.ofSeconds(30));
            RecordingHandler handler = new RecordingHandler("a");
            try (Worker w = TestWorkers.start(sqs, q.queueUrl(), WorkerPlugin.of(handler), Map.of("WORKER_RECEIVE_WAIT", "1s"))) {
                for (String body : poison.keySet()) {
                    sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(body)
                            .messageAttributes(Map.of("origin", software.amazon.awssdk.services.sqs.model.MessageAttributeValue
                                    .builder().dataType("String").stringValue("test").build())));
                }
                sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(job("good", "test.job", "{}")));
                List<Message> dead = new ArrayList<>();
                assertTrue(eventually(Duration.ofSeconds(20), () -> {
                    dead.addAll(sqs.client().receiveMessage(r -> r.queueUrl(q.deadLetterQueueUrl()).maxNumberOfMessages(10)
                            .messageAttributeNames("All").visibilityTimeout(60)).messages());
                    return dead.size() >= poison.size();
                }), "every poison message reaches the dead-letter queue, got " + dead.size());
                for (Message m : dead) {
                    String expected = poison.get(m.body());
                    assertEquals(expected, m.messageAttributes().get("longshore.error").stringValue(), "error code for " + m.body());
                    assertFalse(m.messageAttributes().get("longshore.reason").stringValue().isBlank());
                    assertEquals("test", m.messageAttributes().get("origin").stringValue(), "original attributes kept");
                }
                assertEquals(poison.size(), dead.size());
                assertTrue(eventually(Duration.ofSeconds(5), () -> handler.completed.size() == 1), "the good job still runs");
                assertEquals(WorkerState.READY, w.state(), "the worker stays ready");
                assertEquals(poison.size(), w.metrics().deadLettered().value());
                assertTrue(eventually(Duration.ofSeconds(5), () -> w.inflight() == 0));
                var left = sqs.client().getQueueAttributes(r -> r.queueUrl(q.queueUrl()).attributeNamesWithStrings("All"))
                        .attributesAsStrings();
                assertEquals("0", left.get("ApproximateNumberOfMessages"), "sources deleted");
                assertEquals("0", left.get("ApproximateNumberOfMessagesNotVisible"), "sources deleted");
            }
        }
    }
}
