package dev.longshore.ai.result;

import java.util.Locale;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Sends results to an SQS queue. On a FIFO queue (URL ending in {@code .fifo}) the job id is the group and the
 * deduplication id, so a result re-sent after a redelivery is dropped by SQS within its five-minute window.
 */
public final class SqsResultPublisher implements ResultPublisher {
    private final SqsClient sqs;
    private final String queueUrl;
    private final boolean ownsClient;

    public SqsResultPublisher(SqsClient sqs, String queueUrl, boolean ownsClient) {
        this.sqs = Objects.requireNonNull(sqs);
        this.queueUrl = Objects.requireNonNull(queueUrl);
        this.ownsClient = ownsClient;
    }

    @Override
    public void publish(JobResult result) {
        SendMessageRequest.Builder req = SendMessageRequest.builder()
                .queueUrl(queueUrl)
                .messageBody(result.toJsonText());
        if (queueUrl.endsWith(".fifo")) {
            req.messageGroupId(result.jobId())
                    .messageDeduplicationId(result.jobId() + "-" + result.status().name().toLowerCase(Locale.ROOT));
        }
        sqs.sendMessage(req.build());
    }

    @Override
    public void close() {
        if (ownsClient) {
            sqs.close();
        }
    }
}
