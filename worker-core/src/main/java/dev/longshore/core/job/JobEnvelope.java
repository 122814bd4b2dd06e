package dev.longshore.core.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses a message body into a {@link Job} (README: How a message is handled):
 * {@code {"jobId": "...", "type": "...", "payload": {...}}}. Everything wrong with a body is a permanent
 * failure, since the same bytes will fail the same way on every delivery.
 */
public final class JobEnvelope {
    /** Also safe as a file name: the AI and video workers use it for job directories. */
    public static final Pattern JOB_ID_PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    /**
     * Decimals are kept as written ({@code 0.0001} stays 0.0001, {@code 2.50} keeps its zero), not rounded through
     * a double whose text would be {@code 1.0E-4}: handlers pass payload values on (the AI worker's task
     * arguments, docs/ai.md: Job).
     */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    private JobEnvelope() {
    }

    public static Job parse(String body, Set<String> acceptedTypes, int receiveCount, String messageId,
                            Optional<String> groupId) throws PermanentFailure {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new PermanentFailure("malformed_json", "message body is not valid JSON: "
                    + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new PermanentFailure("malformed_json", "message body must be a JSON object with jobId, type and payload");
        }
        JsonNode id = root.get("jobId");
        if (id == null || !id.isTextual()) {
            throw new PermanentFailure("invalid_job_id", "jobId is missing or not a string");
        }
        if (!JOB_ID_PATTERN.matcher(id.textValue()).matches()) {
            throw new PermanentFailure("invalid_job_id", "jobId '" + abbreviate(id.textValue())
                    + "' must match " + JOB_ID_PATTERN.pattern());
        }
        JsonNode type = root.get("type");
        if (type == null || !type.isTextual() || type.textValue().isBlank()) {
            throw new PermanentFailure("unknown_type", "type is missing or not a string");
        }
        if (!acceptedTypes.contains(type.textValue())) {
            throw new PermanentFailure("unknown_type", "type '" + abbreviate(type.textValue())
                    + "' is not handled by this worker (accepted: " + String.join(", ", acceptedTypes.stream().sorted().toList()) + ")");
        }
        JsonNode payload = root.get("payload");
        if (payload == null || payload.isNull()) {
            payload = JSON.createObjectNode();
        }
        if (!payload.isObject()) {
            throw new PermanentFailure("invalid_payload", "payload must be a JSON object");
        }
        return new Job(id.textValue(), type.textValue(), (ObjectNode) payload, receiveCount, messageId, groupId);
    }

    /** Best effort: the jobId of a body that failed parsing, for logs. */
    public static Optional<String> peekJobId(String body) {
        try {
            JsonNode id = JSON.readTree(body).get("jobId");
            if (id != null && id.isTextual() && JOB_ID_PATTERN.matcher(id.textValue()).matches()) {
                return Optional.of(id.textValue());
            }
        } catch (Exception ignored) {
            // the caller already knows the body is bad
        }
        return Optional.empty();
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
