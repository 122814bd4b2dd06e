package dev.longshore.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SqsQueueClientCallTest {
    @Test
    void aBareRuntimeExceptionFromTheHttpClientIsAnUnavailableQueueNotACrash() {
        // What HttpURLConnection threw in a worker whose long poll the drain disconnected from another thread.
        QueueUnavailableException e = assertThrows(QueueUnavailableException.class, () -> SqsQueueClient.call(
                "ReceiveMessage", () -> {
                    throw new NullPointerException("Cannot invoke getProxyHostUsed() because this.http is null");
                }));
        assertTrue(e.getMessage().startsWith("ReceiveMessage failed in the HTTP client: java.lang.NullPointerException"),
                e.getMessage());
    }

    @Test
    void theRuntimesOwnFailuresPassThroughUnchanged() {
        QueueNotFoundException notFound = new QueueNotFoundException("gone", null);
        assertEquals(notFound, assertThrows(QueueNotFoundException.class,
                () -> SqsQueueClient.call("GetQueueUrl", () -> {
                    throw notFound;
                })));
    }
}
