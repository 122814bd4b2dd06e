package dev.longshore.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.TestWorkers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The queue client's per-message calls (over the wire client) against a real SQS-protocol server. */
class SqsQueueClientIT {
    private static EmbeddedSqs sqs;
    private static SqsQueueClient client;

    @BeforeAll
    static void start() {
        sqs = EmbeddedSqs.start();
        client = TestWorkers.client(sqs);
    }

    @AfterAll
    static void stop() {
        client.close();
        sqs.close();
    }

    @Test
    void aReceivedMessageCarriesItsBodyCountAndStringAttributesAndIsGoneOnceDeleted() {
        String q = sqs.createQueue("client-roundtrip", Map.of());
        String body = "{\"jobId\":\"j-1\",\"text\":\"caf\u00e9 \\u2603 \\\"quoted\\\"\"}";
        client.send(q, body, Map.of("trace", "t-1"), Optional.empty(), Optional.empty());

        List<QueueMessage> first = client.receive(q, 10, 1, 1);
        assertEquals(1, first.size());
        assertEquals(body, first.getFirst().body());
        assertEquals(1, first.getFirst().receiveCount());
        assertEquals(Map.of("trace", "t-1"), first.getFirst().attributes());

        List<QueueMessage> second = eventuallyReceive(q);
        assertEquals(2, second.getFirst().receiveCount());
        assertEquals(Map.of(), client.deleteBatch(q, second));
        assertEquals(List.of(), client.receive(q, 10, 2, 1));
    }

    @Test
    void aFifoMessageCarriesItsGroup() {
        String q = sqs.createQueue("client-order.fifo", Map.of(QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"));
        client.send(q, "{\"jobId\":\"f\"}", Map.of(), Optional.of("tenant-7"), Optional.empty());
        List<QueueMessage> got = client.receive(q, 10, 1, 30);
        assertEquals(Optional.of("tenant-7"), got.getFirst().groupId());
    }

    @Test
    void aBatchReportsTheEntriesSqsRefusedByMessageIdAndDoesTheRest() {
        String q = sqs.createQueue("client-batch", Map.of());
        for (int i = 0; i < 3; i++) {
            client.send(q, "{\"jobId\":\"b" + i + "\"}", Map.of(), Optional.empty(), Optional.empty());
        }
        List<QueueMessage> got = receiveAll(q, 3);
        QueueMessage forged = new QueueMessage("forged-id", "not-a-receipt-handle", "", 1, Optional.empty(), Map.of());
        Map<QueueMessage, Integer> timeouts = new LinkedHashMap<>();
        got.forEach(m -> timeouts.put(m, 120));
        timeouts.put(forged, 120);

        Map<String, String> refused = client.changeVisibilityBatch(q, timeouts);
        assertEquals(List.of("forged-id"), List.copyOf(refused.keySet()));

        List<QueueMessage> toDelete = new java.util.ArrayList<>(got);
        toDelete.add(forged);
        assertEquals(List.of("forged-id"), List.copyOf(client.deleteBatch(q, toDelete).keySet()));
        assertEquals(0, Integer.parseInt(sqs.client().getQueueAttributes(b -> b.queueUrl(q).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)));
    }

    @Test
    void aDeletedQueueIsQueueNotFound() {
        String q = sqs.createQueue("client-gone", Map.of());
        sqs.client().deleteQueue(b -> b.queueUrl(q));
        assertThrows(QueueNotFoundException.class, () -> client.receive(q, 1, 0, 30));
    }

    @Test
    void abortReceivesEndsALongPollAtOnce() throws Exception {
        SqsQueueClient own = TestWorkers.client(sqs);
        String q = sqs.createQueue("client-abort", Map.of());
        ExecutorService poller = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("test-long-poll").factory());
        try {
            Future<List<QueueMessage>> poll = poller.submit(() -> own.receive(q, 10, 20, 30));
            assertTrue(TestWorkers.eventually(Duration.ofSeconds(10), () -> own.receivesInFlight() == 1),
                    "the long poll is under way");
            own.abortReceives();
            // Well before the 20 s the empty queue would hold the poll: a timeout here means it ran on.
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> poll.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof QueueUnavailableException, e.getCause().toString());
        } finally {
            poller.shutdownNow();
            own.close();
        }
    }

    @Test
    void hostileBodiesAndAttributesArriveExactlyAsSentOrStayOnTheQueue() {
        String q = sqs.createQueue("client-hostile", Map.of());
        List<String> bodies = List.of(
                "{\"jobId\":\"\\u0000\u202e\",\"payload\":\"</script>\\\"\"}",   // escapes, NUL escape, bidi override
                "\uD83D\uDE00 emoji, \u0007 bell, \t tab, \r\n line breaks",
                "\uD800 a lone surrogate",                                               // not valid Unicode
                "x".repeat(250 * 1024),                                                   // near SQS's 256 KiB limit
                "{".repeat(5_000));                                                       // deep nesting for a JSON reader
        for (String body : bodies) {
            try {
                sqs.client().sendMessage(b -> b.queueUrl(q).messageBody(body).messageAttributes(Map.of(
                        "name with spaces", software.amazon.awssdk.services.sqs.model.MessageAttributeValue.builder()
                                .dataType("String").stringValue("\"},{\"x\":1").build())));
            } catch (software.amazon.awssdk.core.exception.SdkException refused) {
                // the server may refuse what SQS refuses (invalid characters): then there is nothing to lose
            }
        }
        int sent = Integer.parseInt(sqs.client().getQueueAttributes(b -> b.queueUrl(q).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        List<QueueMessage> got = new java.util.ArrayList<>();
        for (int i = 0; i < 10 && got.size() < sent; i++) {
            got.addAll(client.receive(q, 10, 1, 1));
        }
        assertEquals(sent, got.size(), "a message was received by SQS but not handed to the worker");
        for (QueueMessage m : got) {
            assertTrue(bodies.contains(m.body()), "body changed on the way: " + m.body().substring(0, Math.min(40, m.body().length())));
            assertEquals(Map.of("name with spaces", "\"},{\"x\":1"), m.attributes());
        }
        assertEquals(Map.of(), client.deleteBatch(q, got));
    }

    private static List<QueueMessage> eventuallyReceive(String q) {
        for (int i = 0; i < 10; i++) {
            List<QueueMessage> got = client.receive(q, 10, 2, 30);
            if (!got.isEmpty()) {
                return got;
            }
        }
        throw new AssertionError("the message did not come back after its 1 s visibility");
    }

    private static List<QueueMessage> receiveAll(String q, int n) {
        List<QueueMessage> out = new java.util.ArrayList<>();
        for (int i = 0; i < 10 && out.size() < n; i++) {
            out.addAll(client.receive(q, 10, 1, 30));
        }
        assertEquals(n, out.size());
        return out;
    }
}
