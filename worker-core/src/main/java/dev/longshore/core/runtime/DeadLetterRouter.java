package dev.longshore.core.runtime;

import dev.longshore.core.queue.QueueAttributes;
import dev.longshore.core.queue.QueueClient;
import dev.longshore.core.queue.QueueMessage;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Sends permanently failed messages to the dead-letter queue named by the source queue's RedrivePolicy, with
 * {@code longshore.error} and {@code longshore.reason} attributes, so an operator sees why without reading logs.
 */
final class DeadLetterRouter {
    static final String ERROR_ATTRIBUTE = "longshore.error";
    static final String REASON_ATTRIBUTE = "longshore.reason";
    /** SQS allows 10 message attributes; two are ours. */
    private static final int MAX_ATTRIBUTES = 10;
    private static final int MAX_REASON = 1000;

    private final QueueClient sqs;
    private final Optional<String> deadLetterQueueUrl;
    private final boolean fifo;

    DeadLetterRouter(QueueClient sqs, Optional<String> deadLetterQueueUrl, boolean fifo) {
        this.sqs = sqs;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
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
        return new DeadLetterRouter(sqs, url, source.fifo());
    }

    boolean available() {
        return deadLetterQueueUrl.isPresent();
    }

    Optional<String> url() {
        return deadLetterQueueUrl;
    }

    void send(QueueMessage message, String code, String reason) {
        String url = deadLetterQueueUrl.orElseThrow(() -> new IllegalStateException("no dead-letter queue"));
        Map<String, String> attributes = new HashMap<>();
        message.attributes().forEach((k, v) -> {
            if (!k.equals(ERROR_ATTRIBUTE) && !k.equals(REASON_ATTRIBUTE) && attributes.size() < MAX_ATTRIBUTES - 2) {
                attributes.put(k, v);
            }
        });
        attributes.put(ERROR_ATTRIBUTE, code);
        attributes.put(REASON_ATTRIBUTE, reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON - 3) + "...");
        // On FIFO, keep the group and use the message id as deduplication id so a repeated move is not doubled.
        Optional<String> group = fifo ? Optional.of(message.groupId().orElse("longshore-dead-letter")) : Optional.empty();
        Optional<String> dedup = fifo ? Optional.of(message.messageId()) : Optional.empty();
        String body = message.body().isEmpty() ? " " : message.body();
        sqs.send(url, body, attributes, group, dedup);
    }
}
