package dev.longshore.core.runtime;

import dev.longshore.core.queue.QueueAttributes;
import dev.longshore.core.queue.QueueClient;
import dev.longshore.core.queue.QueueMessage;
import dev.longshore.core.queue.QueueUnavailableException;
import dev.longshore.core.queue.SqsText;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Sends permanently failed messages, and messages whose last allowed attempt failed, to the dead-letter queue
 * named by the source queue's RedrivePolicy, with {@code longshore.error} and {@code longshore.reason}
 * attributes, so an operator sees why without reading logs (README: How a message is handled). Both values are
 * made acceptable to SQS first: a reason quoting a hostile body must not keep the message out of the queue.
 */
final class DeadLetterRouter {
    static final String ERROR_ATTRIBUTE = "longshore.error";
    static final String REASON_ATTRIBUTE = "longshore.reason";
    /** SQS allows 10 message attributes; two are ours. */
    private static final int MAX_ATTRIBUTES = 10;
    /** UTF-8 bytes of {@code longshore.reason}: enough for a sentence and a quoted value, small next to any body. */
    static final int MAX_REASON_BYTES = 1024;
    /** UTF-8 bytes of {@code longshore.error}; handler codes are at most 64 characters. */
    static final int MAX_ERROR_BYTES = 128;

    private final QueueClient sqs;
    private final Optional<String> deadLetterQueueUrl;
    private final Optional<Integer> maxReceiveCount;
    private final boolean fifo;

    DeadLetterRouter(QueueClient sqs, Optional<String> deadLetterQueueUrl, Optional<Integer> maxReceiveCount, boolean fifo) {
        this.sqs = sqs;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
        this.maxReceiveCount = deadLetterQueueUrl.isPresent() ? maxReceiveCount : Optional.empty();
        this.fifo = fifo;
    }

    /** Resolves the dead-letter queue from the source queue's RedrivePolicy ARN. */
    static DeadLetterRouter resolve(QueueClient sqs, QueueAttributes source) {
        Optional<String> url = source.deadLetterTargetArn().map(arn -> {
            // arn:aws:sqs:region:account:name
            String[] parts = arn.split(":");
            if (parts.length < 6) {
                throw new IllegalStateException("RedrivePolicy deadLetterTargetArn is not an SQS ARN: " + arn);
            }
            String account = parts[4];
            String name = parts[5];
            return sqs.queueUrl(name, account.isBlank() ? Optional.empty() : Optional.of(account));
        });
        return new DeadLetterRouter(sqs, url, source.maxReceiveCount(), source.fifo());
    }

    boolean available() {
        return deadLetterQueueUrl.isPresent();
    }

    Optional<String> url() {
        return deadLetterQueueUrl;
    }

    /** The RedrivePolicy's maxReceiveCount, when the queue has a dead-letter queue. */
    Optional<Integer> maxReceiveCount() {
        return maxReceiveCount;
    }

    /**
     * Whether this receive is the last one the RedrivePolicy allows ({@code ApproximateReceiveCount >=
     * maxReceiveCount}): SQS would move the message on its next receive, without saying why.
     */
    boolean isLastAttempt(int receiveCount) {
        return maxReceiveCount.isPresent() && receiveCount >= maxReceiveCount.get();
    }

    /** The value sent as {@code longshore.error}. */
    static String errorValue(String code) {
        return SqsText.attributeValue(code, MAX_ERROR_BYTES, "unknown_error");
    }

    /** The value sent as {@code longshore.reason}; also what is logged, so the log line matches the attribute. */
    static String reasonValue(String reason) {
        return SqsText.attributeValue(reason, MAX_REASON_BYTES, "(no reason given)");
    }

    /**
     * Sends the original body with the failure's code and reason. When SQS refuses the send as a whole, it is
     * tried once more with only the two longshore attributes (the copied ones may be what was refused).
     *
     * @throws QueueUnavailableException when the dead-letter queue cannot be reached or refuses both tries
     */
    void send(QueueMessage message, String code, String reason) {
        String url = deadLetterQueueUrl.orElseThrow(() -> new IllegalStateException("no dead-letter queue"));
        Map<String, String> ours = Map.of(ERROR_ATTRIBUTE, errorValue(code), REASON_ATTRIBUTE, reasonValue(reason));
        Map<String, String> attributes = new HashMap<>();
        message.attributes().forEach((k, v) -> {
            if (!k.equals(ERROR_ATTRIBUTE) && !k.equals(REASON_ATTRIBUTE) && attributes.size() < MAX_ATTRIBUTES - 2) {
                attributes.put(k, v);
            }
        });
        attributes.putAll(ours);
        // On FIFO, keep the group and use the message id as deduplication id so a repeated move is not doubled.
        Optional<String> group = fifo ? Optional.of(message.groupId().orElse("longshore-dead-letter")) : Optional.empty();
        Optional<String> dedup = fifo ? Optional.of(message.messageId()) : Optional.empty();
        String body = message.body().isEmpty() ? " " : message.body();
        try {
            sqs.send(url, body, attributes, group, dedup);
        } catch (QueueUnavailableException first) {
            if (attributes.size() == ours.size()) {
                throw first;
            }
            sqs.send(url, body, ours, group, dedup);
        }
    }
}
