package dev.longshore.core.queue.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.longshore.core.queue.QueueMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQS JSON protocol (AWS JSON 1.0) bodies of the three calls a worker makes per message: ReceiveMessage,
 * DeleteMessageBatch and ChangeMessageVisibilityBatch. Written and read with Jackson's streaming API: no
 * object tree and no reflection per message (README: Performance).
 */
public final class SqsJson {
    private static final JsonFactory JSON = new JsonFactory();

    private SqsJson() {
    }

    /** A message as SQS returned it, with the MD5 of its body SQS computed. */
    public record Received(QueueMessage message, String md5OfBody) {
    }

    /** One failed entry of a batch call. */
    public record BatchFailure(String id, String code, String message) {
    }

    /** An error answer: the {@code __type} shape name (without its namespace) and its message. */
    record Error(String type, String message) {
    }

    interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    static byte[] body(Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] receive(String queueUrl, int max, int waitSeconds, int visibilitySeconds) {
        return body(g -> {
            g.writeStringField("QueueUrl", queueUrl);
            g.writeNumberField("MaxNumberOfMessages", max);
            g.writeNumberField("WaitTimeSeconds", waitSeconds);
            g.writeNumberField("VisibilityTimeout", visibilitySeconds);
            g.writeArrayFieldStart("MessageSystemAttributeNames");
            g.writeString("ApproximateReceiveCount");
            g.writeString("MessageGroupId");
            g.writeEndArray();
            g.writeArrayFieldStart("MessageAttributeNames");
            g.writeString("All");
            g.writeEndArray();
        });
    }

    /** Entries are identified by their index in {@code receiptHandles} ("0", "1", ...). */
    public static byte[] deleteBatch(String queueUrl, List<String> receiptHandles) {
        return body(g -> {
            g.writeStringField("QueueUrl", queueUrl);
            entries(g, receiptHandles, (entry, i) -> { });
        });
    }

    /** Entries are identified by their index ("0", "1", ...), in the order of the two lists. */
    public static byte[] changeVisibilityBatch(String queueUrl, List<String> receiptHandles, List<Integer> seconds) {
        return body(g -> {
            g.writeStringField("QueueUrl", queueUrl);
            entries(g, receiptHandles, (entry, i) -> entry.writeNumberField("VisibilityTimeout", seconds.get(i)));
        });
    }

    /** Writes the fields a batch entry has besides its Id and ReceiptHandle; {@code i} is its index. */
    private interface EntryFields {
        void write(JsonGenerator entry, int i) throws IOException;
    }

    /** A batch call's Entries: one per receipt handle, identified by its index ("0", "1", ...). */
    private static void entries(JsonGenerator g, List<String> receiptHandles, EntryFields more) throws IOException {
        g.writeArrayFieldStart("Entries");
        for (int i = 0; i < receiptHandles.size(); i++) {
            g.writeStartObject();
            g.writeStringField("Id", Integer.toString(i));
            g.writeStringField("ReceiptHandle", receiptHandles.get(i));
            more.write(g, i);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    public static byte[] getQueueUrl(String queueName, Optional<String> ownerAccountId) {
        return body(g -> {
            g.writeStringField("QueueName", queueName);
            if (ownerAccountId.isPresent()) {
                g.writeStringField("QueueOwnerAWSAccountId", ownerAccountId.get());
            }
        });
    }

    public static byte[] getQueueAttributes(String queueUrl, List<String> names) {
        return body(g -> {
            g.writeStringField("QueueUrl", queueUrl);
            g.writeArrayFieldStart("AttributeNames");
            for (String name : names) {
                g.writeString(name);
            }
            g.writeEndArray();
        });
    }

    /** String-typed message attributes, the only kind the runtime sends. */
    public static byte[] sendMessage(String queueUrl, String body, Map<String, String> attributes, Optional<String> groupId,
                                     Optional<String> deduplicationId) {
        return body(g -> {
            g.writeStringField("QueueUrl", queueUrl);
            g.writeStringField("MessageBody", body);
            if (!attributes.isEmpty()) {
                g.writeObjectFieldStart("MessageAttributes");
                for (var a : attributes.entrySet()) {
                    g.writeObjectFieldStart(a.getKey());
                    g.writeStringField("DataType", "String");
                    g.writeStringField("StringValue", a.getValue());
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            if (groupId.isPresent()) {
                g.writeStringField("MessageGroupId", groupId.get());
            }
            if (deduplicationId.isPresent()) {
                g.writeStringField("MessageDeduplicationId", deduplicationId.get());
            }
        });
    }

    /** One string member of an answer's top-level object (QueueUrl, MD5OfMessageBody), empty when absent. */
    public static Optional<String> field(byte[] body, String name) throws IOException {
        return member(body, "answer", name, Optional.empty(), p -> Optional.ofNullable(string(p)));
    }

    /** The {@code Attributes} of a GetQueueAttributes answer. */
    public static Map<String, String> attributes(byte[] body) throws IOException {
        return member(body, "GetQueueAttributes answer", "Attributes", Map.of(), SqsJson::strings);
    }

    /** The messages of a ReceiveMessage answer; unknown fields are skipped, so SQS may add some. */
    public static List<Received> messages(byte[] body) throws IOException {
        return member(body, "ReceiveMessage answer", "Messages", List.of(), p -> objects(p, SqsJson::message));
    }

    private static Received message(JsonParser p) throws IOException {
        String id = null;
        String receipt = null;
        String body = "";
        String md5 = null;
        int receiveCount = 1;
        Optional<String> groupId = Optional.empty();
        Map<String, String> attributes = Map.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "MessageId" -> id = p.getValueAsString();
                case "ReceiptHandle" -> receipt = p.getValueAsString();
                case "Body" -> body = p.getValueAsString("");
                case "MD5OfBody" -> md5 = p.getValueAsString();
                case "Attributes" -> {
                    Map<String, String> system = strings(p);
                    receiveCount = receiveCount(system.get("ApproximateReceiveCount"));
                    groupId = Optional.ofNullable(system.get("MessageGroupId"));
                }
                case "MessageAttributes" -> attributes = messageAttributes(p);
                default -> p.skipChildren();
            }
        }
        if (id == null || receipt == null) {
            throw new IOException("ReceiveMessage answer has a message without " + (id == null ? "MessageId" : "ReceiptHandle"));
        }
        return new Received(new QueueMessage(id, receipt, body, receiveCount, groupId, attributes), md5);
    }

    /** A flat object of string values, e.g. the system attributes; other values are skipped. */
    private static Map<String, String> strings(JsonParser p) throws IOException {
        return members(p, SqsJson::string);
    }

    /** Message attributes with a StringValue (String and Number types); binary ones are not used by the runtime. */
    private static Map<String, String> messageAttributes(JsonParser p) throws IOException {
        return members(p, attribute -> strings(attribute).get("StringValue"));
    }

    /**
     * An object's members, each value read by {@code reader}; a member it reads as null is left out. A value that is
     * not an object has none.
     */
    private static Map<String, String> members(JsonParser p, Reader<String> reader) throws IOException {
        Map<String, String> out = new HashMap<>();
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return out;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            String value = reader.read(p);
            if (value != null) {
                out.put(name, value);
            }
        }
        return out;
    }

    /** A string value, or null for any other value (skipped). */
    private static String string(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }

    private static int receiveCount(String raw) {
        try {
            return raw == null ? 1 : Math.max(1, Integer.parseInt(raw));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** The {@code Failed} entries of a batch answer. */
    public static List<BatchFailure> failures(byte[] body) throws IOException {
        return member(body, "batch answer", "Failed", List.of(), p -> objects(p, SqsJson::failure));
    }

    private static BatchFailure failure(JsonParser p) throws IOException {
        Map<String, String> f = strings(p);
        return new BatchFailure(f.getOrDefault("Id", ""), f.getOrDefault("Code", "?"), f.getOrDefault("Message", ""));
    }

    /** Reads one JSON value, the parser on its first token. */
    private interface Reader<T> {
        T read(JsonParser p) throws IOException;
    }

    /**
     * The top-level member {@code name} of an answer, read by {@code reader}, or {@code absent} when the answer has
     * none. The other members are skipped, so SQS may add some. The whole answer is read, so one that is not an
     * object, or is cut short, is an error.
     */
    private static <T> T member(byte[] body, String what, String name, T absent, Reader<T> reader) throws IOException {
        T value = absent;
        try (JsonParser p = JSON.createParser(body)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, what);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean wanted = p.currentName().equals(name);
                p.nextToken();
                if (wanted) {
                    value = reader.read(p);
                } else {
                    p.skipChildren();
                }
            }
        }
        return value;
    }

    /** The objects of an array, each read by {@code reader}; a value that is not an array has none. */
    private static <T> List<T> objects(JsonParser p, Reader<T> reader) throws IOException {
        List<T> out = new ArrayList<>();
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return out;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
            out.add(reader.read(p));
        }
        return out;
    }

    /** An error answer's type and message; both empty when the body is not the JSON error shape. */
    static Error error(byte[] body) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new Error("", "");
            }
            String type = "";
            String message = "";
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "__type" -> type = p.getValueAsString("");
                    case "message", "Message" -> message = p.getValueAsString("");
                    default -> p.skipChildren();
                }
            }
            return new Error(type.substring(type.lastIndexOf('#') + 1), message);
        } catch (IOException e) {
            return new Error("", "");
        }
    }

    private static void expect(JsonToken actual, JsonToken wanted, String what) throws IOException {
        if (actual != wanted) {
            throw new IOException(what + " is not a JSON object");
        }
    }
}
