package dev.longshore.core.queue;

import java.util.Map;
import java.util.Optional;

/**
 * A received SQS message, reduced to what the runtime uses.
 *
 * @param receiptHandle changes on every receive; only the newest one may be used
 * @param receiveCount  ApproximateReceiveCount, 1 on first delivery
 * @param groupId       MessageGroupId on FIFO queues
 * @param attributes    the message's String-typed message attributes
 */
public record QueueMessage(String messageId, String receiptHandle, String body, int receiveCount,
                           Optional<String> groupId, Map<String, String> attributes) {
    public QueueMessage {
        attributes = Map.copyOf(attributes);
    }
}
