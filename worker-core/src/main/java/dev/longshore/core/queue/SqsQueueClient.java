package dev.longshore.core.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/** {@link QueueClient} on the AWS SDK v2 synchronous client, honouring the SDK's standard endpoint variables. */
public final class SqsQueueClient implements QueueClient {
    /** Longer than the 20 s long poll, so a receive is never cut by its own socket timeout. */
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(35);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqsClient sqs;
    private final AbortableHttpClient http;

    private SqsQueueClient(SqsClient sqs, AbortableHttpClient http) {
        this.sqs = sqs;
        this.http = http;
    }

    /** A client configured the SDK's way: region, credentials and endpoint from the environment. */
    public static SqsQueueClient fromEnvironment() {
        return create(b -> { });
    }

    /** For tests and tools: adjust the builder (endpoint, region, credentials) before the client is built. */
    public static SqsQueueClient create(java.util.function.Consumer<SqsClientBuilder> customizer) {
        SdkHttpClient base = UrlConnectionHttpClient.builder()
                .socketTimeout(SOCKET_TIMEOUT)
                .connectionTimeout(CONNECT_TIMEOUT)
                .build();
        AbortableHttpClient http = new AbortableHttpClient(base);
        SqsClientBuilder builder = SqsClient.builder().httpClient(http);
        customizer.accept(builder);
        return new SqsQueueClient(builder.build(), http);
    }

    @Override
    public List<QueueMessage> receive(String queueUrl, int max, int waitSeconds, int visibilitySeconds) {
        ReceiveMessageResponse response = call("ReceiveMessage", () -> sqs.receiveMessage(b -> b
                .queueUrl(queueUrl)
                .maxNumberOfMessages(max)
                .waitTimeSeconds(waitSeconds)
                .visibilityTimeout(visibilitySeconds)
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                        MessageSystemAttributeName.MESSAGE_GROUP_ID)
                .messageAttributeNames("All")));
        List<QueueMessage> out = new ArrayList<>(response.messages().size());
        for (var m : response.messages()) {
            Map<MessageSystemAttributeName, String> sys = m.attributes();
            int count = parseCount(sys.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
            Map<String, String> attrs = new HashMap<>();
            m.messageAttributes().forEach((k, v) -> {
                if (v.stringValue() != null) {
                    attrs.put(k, v.stringValue());
                }
            });
            out.add(new QueueMessage(m.messageId(), m.receiptHandle(), m.body() == null ? "" : m.body(), count,
                    Optional.ofNullable(sys.get(MessageSystemAttributeName.MESSAGE_GROUP_ID)), attrs));
        }
        return out;
    }

    private static int parseCount(String raw) {
        try {
            return raw == null ? 1 : Math.max(1, Integer.parseInt(raw));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    @Override
    public Map<String, String> deleteBatch(String queueUrl, List<QueueMessage> messages) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(messages.size());
        Map<String, String> idsByEntry = new HashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            QueueMessage m = messages.get(i);
            String entryId = "e" + i;
            idsByEntry.put(entryId, m.messageId());
            entries.add(DeleteMessageBatchRequestEntry.builder().id(entryId).receiptHandle(m.receiptHandle()).build());
        }
        var response = call("DeleteMessageBatch", () -> sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries)));
        return failures(response.failed(), idsByEntry);
    }

    @Override
    public Map<String, String> changeVisibilityBatch(String queueUrl, Map<QueueMessage, Integer> timeouts) {
        List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>(timeouts.size());
        Map<String, String> idsByEntry = new HashMap<>();
        int i = 0;
        for (var e : timeouts.entrySet()) {
            String entryId = "e" + i++;
            idsByEntry.put(entryId, e.getKey().messageId());
            entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(entryId)
                    .receiptHandle(e.getKey().receiptHandle()).visibilityTimeout(e.getValue()).build());
        }
        var response = call("ChangeMessageVisibilityBatch",
                () -> sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(entries)));
        return failures(response.failed(), idsByEntry);
    }

    private static Map<String, String> failures(List<BatchResultErrorEntry> failed, Map<String, String> idsByEntry) {
        if (failed.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        for (BatchResultErrorEntry f : failed) {
            out.put(idsByEntry.getOrDefault(f.id(), f.id()), f.code() + ": " + f.message());
        }
        return out;
    }

    @Override
    public void send(String queueUrl, String body, Map<String, String> attributes, Optional<String> groupId,
                     Optional<String> deduplicationId) {
        Map<String, MessageAttributeValue> attrs = new HashMap<>();
        attributes.forEach((k, v) -> attrs.put(k, MessageAttributeValue.builder().dataType("String").stringValue(v).build()));
        SendMessageRequest.Builder b = SendMessageRequest.builder().queueUrl(queueUrl).messageBody(body)
                .messageAttributes(attrs);
        groupId.ifPresent(b::messageGroupId);
        deduplicationId.ifPresent(b::messageDeduplicationId);
        SendMessageRequest request = b.build();
        call("SendMessage", () -> sqs.sendMessage(request));
    }

    @Override
    public QueueAttributes attributes(String queueUrl) {
        var response = call("GetQueueAttributes", () -> sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN, QueueAttributeName.VISIBILITY_TIMEOUT,
                        QueueAttributeName.REDRIVE_POLICY, QueueAttributeName.FIFO_QUEUE)));
        Map<QueueAttributeName, String> a = response.attributes();
        Optional<String> dlq = Optional.empty();
        Optional<Integer> maxReceive = Optional.empty();
        String redrive = a.get(QueueAttributeName.REDRIVE_POLICY);
        if (redrive != null && !redrive.isBlank()) {
            try {
                JsonNode policy = JSON.readTree(redrive);
                dlq = Optional.ofNullable(policy.path("deadLetterTargetArn").textValue());
                JsonNode max = policy.path("maxReceiveCount");
                if (max.isNumber() || max.isTextual()) {
                    maxReceive = Optional.of(Integer.parseInt(max.asText()));
                }
            } catch (Exception e) {
                throw new QueueUnavailableException("queue " + queueUrl + " has an unreadable RedrivePolicy: " + redrive, e);
            }
        }
        int visibility = parseCount(a.get(QueueAttributeName.VISIBILITY_TIMEOUT));
        return new QueueAttributes(a.getOrDefault(QueueAttributeName.QUEUE_ARN, ""),
                Boolean.parseBoolean(a.get(QueueAttributeName.FIFO_QUEUE)), visibility, dlq, maxReceive);
    }

    @Override
    public String queueUrl(String queueName, Optional<String> ownerAccountId) {
        return call("GetQueueUrl", () -> sqs.getQueueUrl(b -> {
            b.queueName(queueName);
            ownerAccountId.ifPresent(b::queueOwnerAWSAccountId);
        })).queueUrl();
    }

    @Override
    public void abortReceives() {
        http.abortReceives();
    }

    @Override
    public void close() {
        sqs.close();
    }

    /**
     * Runs one SQS call, turning every way it can fail into the runtime's two failures. Besides the SDK's own
     * exceptions, the JDK's HttpURLConnection can throw a bare RuntimeException (a NullPointerException in
     * writeRequests) when the drain aborts a long poll by disconnecting it from another thread: that is an
     * abandoned call too, never a reason for the poller thread to die with a stack trace on stderr.
     */
    static <T> T call(String operation, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (QueueDoesNotExistException e) {
            throw new QueueNotFoundException(operation + ": queue does not exist (" + e.awsErrorDetails().errorMessage() + ")", e);
        } catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
            if (code.contains("NonExistentQueue") || code.contains("QueueDoesNotExist")) {
                throw new QueueNotFoundException(operation + ": queue does not exist (" + code + ")", e);
            }
            throw new QueueUnavailableException(operation + " failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            String message = e.getMessage();
            throw new QueueUnavailableException(operation + " failed: " + (message == null ? e.getClass().getSimpleName() : message), e);
        } catch (QueueUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new QueueUnavailableException(operation + " failed in the HTTP client: " + e, e);
        }
    }
}
