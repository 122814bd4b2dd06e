package dev.longshore.core.testing;

import static dev.longshore.testkit.TestWorkers.eventually;

import dev.longshore.testkit.EmbeddedSqs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;

/** What the core's integration tests read back from the embedded SQS server. */
public final class QueueAssertions {
    private QueueAssertions() {
    }

    /** Receives from {@code queueUrl} (with message attributes, hidden for a minute) until {@code count} came. */
    public static List<Message> awaitMessages(EmbeddedSqs sqs, String queueUrl, int count, Duration timeout)
            throws InterruptedException {
        List<Message> got = new ArrayList<>();
        eventually(timeout, () -> {
            got.addAll(sqs.client().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .messageAttributeNames("All").messageSystemAttributeNamesWithStrings("All")
                    .visibilityTimeout(60).waitTimeSeconds(1)).messages());
            return got.size() >= count;
        });
        return got;
    }

    /** ApproximateNumberOfMessages + ApproximateNumberOfMessagesNotVisible. */
    public static int messagesLeft(EmbeddedSqs sqs, String queueUrl) {
        Map<String, String> a = sqs.client().getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNamesWithStrings("All"))
                .attributesAsStrings();
        return Integer.parseInt(a.get("ApproximateNumberOfMessages"))
                + Integer.parseInt(a.get("ApproximateNumberOfMessagesNotVisible"));
    }

    /** The value of a String message attribute, or null. */
    public static String attribute(Message m, String name) {
        var v = m.messageAttributes().get(name);
        return v == null ? null : v.stringValue();
    }
}
