package dev.longshore.testkit;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Creates queues the way the deployed stack does: a work queue with a dead-letter queue behind it. */
public final class Queues {
    private Queues() {
    }

    public static QueuePair createWithDeadLetter(SqsClient sqs, String name, int maxReceiveCount, Duration visibility) {
        boolean fifo = name.endsWith(".fifo");
        String base = fifo ? name.substring(0, name.length() - 5) : name;
        String dlqName = base + "-dlq" + (fifo ? ".fifo" : "");
        Map<QueueAttributeName, String> dlqAttrs = new HashMap<>();
        if (fifo) {
            dlqAttrs.put(QueueAttributeName.FIFO_QUEUE, "true");
        }
        String dlqUrl = sqs.createQueue(b -> b.queueName(dlqName).attributes(dlqAttrs)).queueUrl();
        String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        Map<QueueAttributeName, String> attrs = new HashMap<>();
        attrs.put(QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(visibility.toSeconds()));
        attrs.put(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}");
        if (fifo) {
            attrs.put(QueueAttributeName.FIFO_QUEUE, "true");
        }
        String url = sqs.createQueue(b -> b.queueName(name).attributes(attrs)).queueUrl();
        return new QueuePair(url, dlqUrl);
    }
}
