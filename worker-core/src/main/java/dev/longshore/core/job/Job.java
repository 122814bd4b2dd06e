package dev.longshore.core.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * One unit of work taken from the queue, as a handler sees it: no SQS types, only what the message said
 * and how often it has been delivered.
 *
 * @param id           the message's {@code jobId}, validated against {@link JobEnvelope#JOB_ID_PATTERN}
 * @param type         the message's {@code type}, one of the handler's {@link JobHandler#types()}
 * @param payload      the message's {@code payload} object
 * @param receiveCount SQS ApproximateReceiveCount: 1 on the first delivery
 * @param messageId    the SQS message id, for logs and correlation
 * @param groupId      the FIFO message group, empty on standard queues
 */
public record Job(String id, String type, ObjectNode payload, int receiveCount, String messageId,
                  Optional<String> groupId) {
    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(groupId, "groupId");
        if (receiveCount < 1) {
            throw new IllegalArgumentException("receiveCount must be >= 1, was " + receiveCount);
        }
    }

    /** True on a redelivery: handlers with side effects check their own completion markers then. */
    public boolean isRedelivery() {
        return receiveCount > 1;
    }
}
