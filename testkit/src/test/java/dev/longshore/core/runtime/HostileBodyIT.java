package dev.longshore.core.runtime;

import static dev.longshore.core.testing.QueueAssertions.attribute;
import static dev.longshore.core.testing.QueueAssertions.awaitMessages;
import static dev.longshore.core.testing.QueueAssertions.messagesLeft;
import static dev.longshore.testkit.TestWorkers.eventually;
import static dev.longshore.testkit.TestWorkers.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.Worker;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.WorkerState;
import dev.longshore.core.job.Job;
import dev.longshore.core.job.JobContext;
import dev.longshore.core.job.JobHandler;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.queue.SqsText;
import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.QueuePair;
import dev.longshore.testkit.TestWorkers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * README: How a message is handled, permanent failures: whatever the body, a message that fails permanently
 * reaches the dead-letter queue with {@code longshore.error} and {@code longshore.reason}, never a loop of
 * refused SendMessage calls. SQS refuses some characters in bodies too, so the bodies here are what SQS
 * accepts but whose parsed content is not: JSON escapes of NUL and of lone surrogates, control characters,
 * a body of 256 KiB, and a handler quoting such text in its reason.
 */
class HostileBodyIT {

    /** Fails permanently with the payload's {@code reason} as its reason, repeated {@code times} times. */
    private static final class QuotingHandler implements JobHandler {
        @Override
        public Set<String> types() {
            return Set.of("test.job");
        }

        @Override
        public void handle(Job job, JobContext context) throws PermanentFailure {
            String reason = job.payload().path("reason").asText().repeat(job.payload().path("times").asInt(1));
            throw new PermanentFailure("quoted_input", reason);
        }
    }

    private static void assertSqsAcceptable(String value, int maxBytes, String what) {
        assertNotNull(value, what);
        assertTrue(!value.isEmpty(), what + " is empty");
        assertTrue(value.getBytes(StandardCharsets.UTF_8).length <= maxBytes, what + " longer than " + maxBytes + " bytes");
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            assertTrue(SqsText.allowed(cp) && !(cp >= 0xD800 && cp <= 0xDFFF),
                    what + " carries U+" + Integer.toHexString(cp) + ": " + value);
            i += Character.charCount(cp);
        }
    }

    @Test
    void messagesWithHostileBodiesReachTheDeadLetterQueueWithBothAttributes() throws Exception {
        Map<String, String> bodies = new LinkedHashMap<>(); // body -> expected longshore.error
        bodies.put(job("nul\\u0000id", "test.job", "{}"), "invalid_job_id");
        bodies.put(job("lone\\ud800surrogate", "test.job", "{}"), "invalid_job_id");
        bodies.put(job("rev\\udc00\\ud800", "test.job", "{}"), "invalid_job_id");
        bodies.put("\u0009control \u007f\u0085 characters \r\n not json", "malformed_json");
        bodies.put(job("ctl\\u0001\\u001f", "test.job", "{}"), "invalid_job_id");
        bodies.put(job("raw-tab\t", "test.job", "{}"), "malformed_json");
        bodies.put("x".repeat(256 * 1024), "malformed_json");
        bodies.put(job("big", "test.job", "{\"pad\":\"" + "y".repeat(256 * 1024 - 200) + "\",\"reason\":\"z\\u0000\"}"),
                "quoted_input");
        bodies.put(job("reason-nul", "test.job", "{\"reason\":\"NUL \\u0000, lone \\ud800, BEL \\u0007, FFFE \\ufffe\"}"),
                "quoted_input");
        bodies.put(job("reason-long", "test.job", "{\"reason\":\"\\u00e9\\ud83d\\ude00\\u0000\",\"times\":5000}"),
                "quoted_input");
        bodies.put(job("reason-empty", "test.job", "{\"reason\":\"\"}"), "quoted_input");
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            QueuePair q = sqs.createQueueWithDeadLetter("hostile", 5, Duration.ofSeconds(30));
            try (Worker w = TestWorkers.start(sqs, q.queueUrl(), WorkerPlugin.of(new QuotingHandler()),
                    Map.of("WORKER_RECEIVE_WAIT", "1s"))) {
                for (String body : bodies.keySet()) {
                    sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(body));
                }
                List<Message> dead = awaitMessages(sqs, q.deadLetterQueueUrl(), bodies.size(), Duration.ofSeconds(30));
                assertEquals(bodies.size(), dead.size(), "every hostile message reached the dead-letter queue");
                Map<String, Message> byBody = dead.stream().collect(Collectors.toMap(Message::body, m -> m));
                for (Map.Entry<String, String> e : bodies.entrySet()) {
                    Message m = byBody.get(e.getKey());
                    String label = e.getKey().substring(0, Math.min(40, e.getKey().length()));
                    assertNotNull(m, "original body kept for " + label);
                    assertEquals(e.getValue(), attribute(m, "longshore.error"), label);
                    assertSqsAcceptable(attribute(m, "longshore.error"), 128, "longshore.error of " + label);
                    assertSqsAcceptable(attribute(m, "longshore.reason"), 1024, "longshore.reason of " + label);
                }
                String nulReason = attribute(byBody.get(job("reason-nul", "test.job",
                        "{\"reason\":\"NUL \\u0000, lone \\ud800, BEL \\u0007, FFFE \\ufffe\"}")), "longshore.reason");
                assertEquals("NUL \\u0000, lone \\uD800, BEL \\u0007, FFFE \\uFFFE", nulReason,
                        "refused characters are written as escapes, the rest kept");
                assertTrue(eventually(Duration.ofSeconds(10), () -> w.inflight() == 0 && messagesLeft(sqs, q.queueUrl()) == 0),
                        "every source deleted: no message loops on a refused dead-letter send");
                assertEquals(bodies.size(), w.metrics().deadLettered().value());
                assertEquals(0, w.metrics().retried().value());
                assertEquals(WorkerState.READY, w.state());
            }
        }
    }
}
