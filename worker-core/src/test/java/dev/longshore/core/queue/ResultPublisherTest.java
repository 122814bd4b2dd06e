package dev.longshore.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResultPublisherTest {
    private final List<Object[]> sends = new ArrayList<>();
    private final QueueClient queues = (QueueClient) Proxy.newProxyInstance(QueueClient.class.getClassLoader(),
            new Class<?>[] {QueueClient.class}, (proxy, method, args) -> {
                if (!method.getName().equals("send")) {
                    throw new AssertionError("unexpected call " + method.getName());
                }
                sends.add(args);
                return null;
            });

    @Test
    void aFifoResultIsGroupedAndDeduplicatedByJobAndStatus() {
        new ResultPublisher(queues, "https://sqs.test/1/results.fifo").publish("job-1", "SUCCESS", "{}");
        Object[] s = sends.getFirst();
        assertEquals("https://sqs.test/1/results.fifo", s[0]);
        assertEquals("{}", s[1]);
        assertEquals(Optional.of("job-1"), s[3]);
        assertEquals(Optional.of("job-1-success"), s[4]);
    }

    @Test
    void aStandardQueueGetsNoGroupAndABodyOverTheLimitIsRefusedBeforeSending() {
        ResultPublisher p = new ResultPublisher(queues, "https://sqs.test/1/results");
        p.publish("job-2", "FAILED", "x".repeat(ResultPublisher.MAX_BODY_BYTES));
        assertEquals(Optional.empty(), sends.getFirst()[3]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.publish("job-3", "SUCCESS", "é".repeat(ResultPublisher.MAX_BODY_BYTES / 2 + 1)));
        assertTrue(e.getMessage().contains("job-3"), e.getMessage());
        assertEquals(1, sends.size());
    }
}
