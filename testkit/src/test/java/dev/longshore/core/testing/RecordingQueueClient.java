package dev.longshore.core.testing;

import dev.longshore.core.queue.QueueAttributes;
import dev.longshore.core.queue.QueueClient;
import dev.longshore.core.queue.QueueMessage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * Passes every call to a real client and records what the worker asked for: receives (how many messages, which
 * visibility, what came back), visibility changes and deletes, per message id. Tests override a method to
 * script a situation (a failing delete, a receive whose answer arrives after the drain began).
 */
public class RecordingQueueClient implements QueueClient {
    public record VisibilityChange(String messageId, int seconds) {
    }

    /** One ReceiveMessage call: what was asked and the ids of what came back. */
    public record Receive(int max, int waitSeconds, int visibilitySeconds, List<String> messageIds) {
    }

    public final List<VisibilityChange> visibilityChanges = new CopyOnWriteArrayList<>();
    public final List<Receive> receives = new CopyOnWriteArrayList<>();
    /** Ids of messages SQS confirmed deleted. */
    public final List<String> deleted = new CopyOnWriteArrayList<>();
    /** Counted down when the worker cuts its long polls short (a drain began). */
    public final CountDownLatch receivesAborted = new CountDownLatch(1);
    protected final QueueClient delegate;

    public RecordingQueueClient(QueueClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public List<QueueMessage> receive(String queueUrl, int max, int waitSeconds, int visibilitySeconds) {
        List<QueueMessage> got = delegate.receive(queueUrl, max, waitSeconds, visibilitySeconds);
        receives.add(new Receive(max, waitSeconds, visibilitySeconds, got.stream().map(QueueMessage::messageId).toList()));
        return got;
    }

    /** The receive that returned {@code messageId}, if any. */
    public Optional<Receive> receiveOf(String messageId) {
        return receives.stream().filter(r -> r.messageIds().contains(messageId)).findFirst();
    }

    /** Visibility changes asked for one message, in order. */
    public List<Integer> visibilityChangesOf(String messageId) {
        return visibilityChanges.stream().filter(c -> c.messageId().equals(messageId)).map(VisibilityChange::seconds).toList();
    }

    @Override
    public Map<String, String> deleteBatch(String queueUrl, List<QueueMessage> messages) {
        Map<String, String> failed = delegate.deleteBatch(queueUrl, messages);
        messages.stream().map(QueueMessage::messageId).filter(id -> !failed.containsKey(id)).forEach(deleted::add);
        return failed;
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
        receivesAborted.countDown();
        delegate.abortReceives();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
