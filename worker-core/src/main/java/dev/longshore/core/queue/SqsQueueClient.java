package dev.longshore.core.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longshore.core.queue.wire.SigningCredentials;
import dev.longshore.core.queue.wire.SqsJson;
import dev.longshore.core.queue.wire.SqsWireClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.endpoints.SqsEndpointParams;
import software.amazon.awssdk.services.sqs.endpoints.SqsEndpointProvider;
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
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * {@link QueueClient} for SQS. The calls made once per message (receive, delete, visibility) go over
 * {@link SqsWireClient}, signed with the credentials and sent to the endpoint the AWS SDK resolves; the rare ones
 * (send, queue attributes, queue URL) go through the SDK's client (README: Performance).
 */
public final class SqsQueueClient implements QueueClient {
    private static final Logger log = LoggerFactory.getLogger(SqsQueueClient.class);
    /** Longer than the 20 s long poll, so a receive is never cut by its own socket timeout. */
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(35);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqsClient sqs;
    private final SqsWireClient wire;

    private SqsQueueClient(SqsClient sqs, SqsWireClient wire) {
        this.sqs = sqs;
        this.wire = wire;
    }

    /** A client configured the SDK's way: region, credentials and endpoint from the environment. */
    public static SqsQueueClient fromEnvironment() {
        return create(b -> { });
    }

    /** For tests and tools: adjust the builder (endpoint, region, credentials) before the client is built. */
    public static SqsQueueClient create(java.util.function.Consumer<SqsClientBuilder> customizer) {
        SdkHttpClient http = UrlConnectionHttpClient.builder()
                .socketTimeout(SOCKET_TIMEOUT)
                .connectionTimeout(CONNECT_TIMEOUT)
                .build();
        SqsClientBuilder builder = SqsClient.builder().httpClient(http);
        customizer.accept(builder);
        SqsClient sqs = builder.build();
        var config = sqs.serviceClientConfiguration();
        URI endpoint = config.endpointOverride().orElseGet(() -> regionEndpoint(config.region()));
        SqsWireClient wire = new SqsWireClient(endpoint, config.region().id(), credentials(config.credentialsProvider()),
                Clock.systemUTC(), CONNECT_TIMEOUT, SOCKET_TIMEOUT);
        return new SqsQueueClient(sqs, wire);
    }

    /** The region's SQS endpoint by the SDK's own rules, honouring AWS_USE_FIPS_ENDPOINT and AWS_USE_DUALSTACK_ENDPOINT. */
    static URI regionEndpoint(Region region) {
        return SqsEndpointProvider.defaultProvider().resolveEndpoint(SqsEndpointParams.builder().region(region)
                .useFips(flag("AWS_USE_FIPS_ENDPOINT", "aws.useFipsEndpoint"))
                .useDualStack(flag("AWS_USE_DUALSTACK_ENDPOINT", "aws.useDualstackEndpoint"))
                .build()).join().url();
    }

    private static boolean flag(String variable, String property) {
        String value = System.getProperty(property, System.getenv(variable));
        return value != null && value.trim().equalsIgnoreCase("true");
    }

    /** Resolved per call: the SDK's providers cache credentials and refresh temporary ones before they expire. */
    private static Supplier<SigningCredentials> credentials(IdentityProvider<? extends AwsCredentialsIdentity> provider) {
        return () -> {
            AwsCredentialsIdentity id;
            try {
                id = provider instanceof AwsCredentialsProvider p ? p.resolveCredentials() : provider.resolveIdentity().join();
            } catch (RuntimeException e) {
                throw new QueueUnavailableException("no AWS credentials to sign SQS calls with: " + e.getMessage(), e);
            }
            String token = id instanceof AwsSessionCredentialsIdentity s ? s.sessionToken() : null;
            return new SigningCredentials(id.accessKeyId(), id.secretAccessKey(), token);
        };
    }

    @Override
    public List<QueueMessage> receive(String queueUrl, int max, int waitSeconds, int visibilitySeconds) {
        byte[] answer = wire.call("ReceiveMessage", SqsJson.receive(queueUrl, max, waitSeconds, visibilitySeconds), true);
        List<SqsJson.Received> received = parse("ReceiveMessage", () -> SqsJson.messages(answer));
        List<QueueMessage> out = new ArrayList<>(received.size());
        for (SqsJson.Received r : received) {
            if (r.md5OfBody() != null && !r.md5OfBody().equalsIgnoreCase(md5(r.message().body()))) {
                // Corrupted on the way: left to reappear after the receive visibility rather than run on a damaged body.
                log.warn("message {} arrived with a body whose MD5 does not match MD5OfBody; not processed, SQS will deliver it again",
                        r.message().messageId());
                continue;
            }
            out.add(r.message());
        }
        return out;
    }

    private static String md5(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    }

    private interface Parse<T> {
        T read() throws IOException;
    }

    private static <T> T parse(String operation, Parse<T> parse) {
        try {
            return parse.read();
        } catch (IOException e) {
            throw new QueueUnavailableException(operation + " answer unreadable: " + e.getMessage(), e);
        }
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
        List<String> receipts = new ArrayList<>(messages.size());
        messages.forEach(m -> receipts.add(m.receiptHandle()));
        byte[] answer = wire.call("DeleteMessageBatch", SqsJson.deleteBatch(queueUrl, receipts), false);
        return failures("DeleteMessageBatch", answer, messages);
    }

    @Override
    public Map<String, String> changeVisibilityBatch(String queueUrl, Map<QueueMessage, Integer> timeouts) {
        List<QueueMessage> messages = new ArrayList<>(timeouts.size());
        List<String> receipts = new ArrayList<>(timeouts.size());
        List<Integer> seconds = new ArrayList<>(timeouts.size());
        timeouts.forEach((m, s) -> {
            messages.add(m);
            receipts.add(m.receiptHandle());
            seconds.add(s);
        });
        byte[] answer = wire.call("ChangeMessageVisibilityBatch", SqsJson.changeVisibilityBatch(queueUrl, receipts, seconds), false);
        return failures("ChangeMessageVisibilityBatch", answer, messages);
    }

    /** Failed entries by message id; entry ids are the messages' indexes. */
    private static Map<String, String> failures(String operation, byte[] answer, List<QueueMessage> messages) {
        List<SqsJson.BatchFailure> failed = parse(operation, () -> SqsJson.failures(answer));
        if (failed.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        for (SqsJson.BatchFailure f : failed) {
            String id = f.id();
            try {
                id = messages.get(Integer.parseInt(f.id())).messageId();
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                // an entry id we did not send: report it as it came
            }
            out.put(id, f.code() + ": " + f.message());
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
        wire.abortAll();
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
