package dev.longshore.core.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longshore.core.queue.wire.SqsEndpoint;
import dev.longshore.core.queue.wire.SqsJson;
import dev.longshore.core.queue.wire.SqsWireClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * {@link QueueClient} for SQS over {@link SqsWireClient}: SQS's JSON protocol, signed with the credentials the
 * AWS SDK's default chain resolves and sent to the endpoint the SDK would use. The SDK's request pipeline cost
 * about two thirds of a worker's CPU per message and half its start-up (README: Performance).
 */
public final class SqsQueueClient implements QueueClient {
    private static final Logger log = LoggerFactory.getLogger(SqsQueueClient.class);
    /** Longer than the 20 s long poll, so a receive is never cut by its own socket timeout. */
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(35);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ATTRIBUTES = List.of("QueueArn", "VisibilityTimeout", "RedrivePolicy", "FifoQueue");

    private final SqsWireClient wire;

    private SqsQueueClient(SqsWireClient wire) {
        this.wire = wire;
    }

    /**
     * A client configured the AWS SDK's way (README: Configuration): region from AWS_REGION, the profile or
     * instance metadata; credentials from the SDK's default chain; endpoint from AWS_ENDPOINT_URL_SQS,
     * AWS_ENDPOINT_URL, the profile's endpoint_url, else the region's (FIPS and dual-stack settings honoured).
     */
    public static SqsQueueClient fromEnvironment() {
        Region region = DefaultAwsRegionProviderChain.builder().build().getRegion();
        return create(SqsEndpoint.resolve(region), region, DefaultCredentialsProvider.builder().build());
    }

    /** For tests and tools: this endpoint, region and credentials. */
    public static SqsQueueClient create(URI endpoint, Region region, AwsCredentialsProvider credentials) {
        return new SqsQueueClient(new SqsWireClient(endpoint, region.id(), new CachedCredentials(credentials, Clock.systemUTC()),
                Clock.systemUTC(), CONNECT_TIMEOUT, SOCKET_TIMEOUT));
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

    /** Receives under way now, cut short by {@link #abortReceives()}. */
    int receivesInFlight() {
        return wire.abortableInFlight();
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
        byte[] answer = wire.call("SendMessage", SqsJson.sendMessage(queueUrl, body, attributes, groupId, deduplicationId), false);
        Optional<String> md5 = parse("SendMessage", () -> SqsJson.field(answer, "MD5OfMessageBody"));
        if (md5.isPresent() && !md5.get().equalsIgnoreCase(md5(body))) {
            throw new QueueUnavailableException("SendMessage: SQS stored a body whose MD5 differs from the one sent", null);
        }
    }

    @Override
    public QueueAttributes attributes(String queueUrl) {
        byte[] answer = wire.call("GetQueueAttributes", SqsJson.getQueueAttributes(queueUrl, ATTRIBUTES), false);
        Map<String, String> a = parse("GetQueueAttributes", () -> SqsJson.attributes(answer));
        Optional<String> dlq = Optional.empty();
        Optional<Integer> maxReceive = Optional.empty();
        String redrive = a.get("RedrivePolicy");
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
        int visibility = parseCount(a.get("VisibilityTimeout"));
        return new QueueAttributes(a.getOrDefault("QueueArn", ""), Boolean.parseBoolean(a.get("FifoQueue")), visibility,
                dlq, maxReceive);
    }

    @Override
    public String queueUrl(String queueName, Optional<String> ownerAccountId) {
        byte[] answer = wire.call("GetQueueUrl", SqsJson.getQueueUrl(queueName, ownerAccountId), false);
        return parse("GetQueueUrl", () -> SqsJson.field(answer, "QueueUrl")).orElseThrow(
                () -> new QueueUnavailableException("GetQueueUrl answer has no QueueUrl", null));
    }

    @Override
    public void abortReceives() {
        wire.abortAll();
    }

    @Override
    public void close() {
        // Connections are the JDK's keep-alive cache's; nothing of this client's own to release.
    }
}
