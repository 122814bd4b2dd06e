package dev.longshore.core.testing;

import dev.longshore.core.queue.QueueAttributes;
import dev.longshore.core.queue.QueueClient;
import dev.longshore.core.queue.QueueMessage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Passes every call to a real client and records the visibility changes asked for, per message id. */
public final class RecordingQueueClient implements QueueClient {
    public record VisibilityChange(String messageId, int seconds) {
    }

    public final List<VisibilityChange> visibilityChanges = new CopyOnWriteArrayList<>();
    private final QueueClient delegate;

    public RecordingQueueClient(QueueClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public List<QueueMessage> receive(String queueUrl, int max, int waitSeconds, int visibilitySeconds) {
        return delegate.receive(queueUrl, max, waitSeconds, visibilitySeconds);
    }

    @Override
    public Map<String, String> deleteBatch(String queueUrl, List<QueueMessage> messages) {
        return delegate.deleteBatch(queueUrl, messages);
    }

    @Override
    public Map<String, String> changeVisibilityBatch(String queueUrl, Map<QueueMessage, Integer> timeouts) {
        timeouts.forEach((m, s) -> visibilityChanges.add(new VisibilityChange(m.messageId(), s)));
        return delegate.changeVisibilityBatch(queueUrl, timeouts);
    }

    @Override
    public void send(String queueUrl, String body, Map<String, String> attributes, Optional<String> groupId,
                     Optional<String> deduplicationId) {
        delegate.send(queueUrl, body, attributes, groupId, deduplicationId);
    }

    @Override
    public QueueAttributes attributes(String queueUrl) {
        return delegate.attributes(queueUrl);
    }

    @Override
    public String queueUrl(String queueName, Optional<String> ownerAccountId) {
        return delegate.queueUrl(queueName, ownerAccountId);
    }

    @Override
    public void abortReceives() {
        delegate.abortReceives();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
