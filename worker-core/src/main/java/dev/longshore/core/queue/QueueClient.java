package dev.longshore.core.queue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The subset of SQS the runtime uses, so the runtime reads as decisions and tests can count calls. Methods throw
 * {@link QueueUnavailableException} when SQS cannot be reached or refuses the call as a whole.
 */
public interface QueueClient extends AutoCloseable {

    /** Long-polls for up to {@code max} (1-10) messages. Returns empty when {@link #abortReceives()} cut it short. */
    List<QueueMessage> receive(String queueUrl, int max, int waitSeconds, int visibilitySeconds);

    /** Deletes up to 10 messages; returns the ids of entries SQS refused individually, with the reason. */
    Map<String, String> deleteBatch(String queueUrl, List<QueueMessage> messages);

    /** Sets visibility for up to 10 messages; returns the ids of refused entries, with the reason. */
    Map<String, String> changeVisibilityBatch(String queueUrl, Map<QueueMessage, Integer> timeouts);

    void send(String queueUrl, String body, Map<String, String> attributes, Optional<String> groupId,
              Optional<String> deduplicationId);

    QueueAttributes attributes(String queueUrl);

    /** Resolves a queue name (and owner account, for cross-account dead-letter queues) to its URL. */
    String queueUrl(String queueName, Optional<String> ownerAccountId);

    /** Cuts every long poll in flight short, so a draining worker need not wait up to 20 s. */
    void abortReceives();

    @Override
    void close();
}
