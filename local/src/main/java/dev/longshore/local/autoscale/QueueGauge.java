package dev.longshore.local.autoscale;

import dev.longshore.testkit.QueuePair;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Reads the work queue's (visible, in flight) and the dead-letter queue's counts (ElasticMQ's are exact, SQS's approximate). */
public final class QueueGauge {
    /** Visible and in-flight messages of the work queue, messages in the dead-letter queue. */
    public record Depth(int visible, int inFlight, int deadLettered) {
    }

    /** What the scaling metric counts: visible and in-flight messages of the work queue, read in one call. */
    public record Work(int visible, int inFlight) {
    }

    private final SqsClient sqs;
    private final QueuePair queues;

    public QueueGauge(SqsClient sqs, QueuePair queues) {
        this.sqs = sqs;
        this.queues = queues;
    }

    public int visible() {
        return count(queues.queueUrl(), QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
    }

    public Work work() {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queues.queueUrl()).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return new Work(Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
                Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)));
    }

    public Depth depth() {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queues.queueUrl()).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return new Depth(Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
                Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)),
                count(queues.deadLetterQueueUrl(), QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    private int count(String url, QueueAttributeName name) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(name)).attributes().get(name));
    }
}
