package dev.longshore.ai.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshore.core.job.PermanentFailure;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An {@code ai.run} payload: which registered task, its arguments and the files it needs. It never carries a
 * command line.
 *
 * <pre>{@code
 * {"task": "upscale",
 *  "args": {"scale": 4},
 *  "inputs": [{"uri": "https://example.com/cat.png", "sha256": "9f86d0...", "name": "image"}],
 *  "models": [{"uri": "file:///models/esrgan.pth"}]}
 * }</pre>
 */
public record JobRequest(String task, Map<String, String> args, List<InputSpec> inputs, List<InputSpec> models) {
    public static final Pattern ARG_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    public static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Set<String> FIELDS = Set.of("task", "args", "inputs", "models");
    /** Arguments end up in argv and the environment; Linux limits one string to 128 KiB. */
    static final int MAX_ARG_LENGTH = 64 * 1024;

    public JobRequest {
        args = Map.copyOf(args);
        inputs = List.copyOf(inputs);
        models = List.copyOf(models);
    }

    /** @throws PermanentFailure {@code invalid_payload} naming the field that is wrong */
    public static JobRequest parse(ObjectNode payload) throws PermanentFailure {
        for (Iterator<String> it = payload.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw invalid("unknown field '" + f + "' (an ai.run payload has task, args, inputs, models)");
            }
        }
        JsonNode task = payload.get("task");
        if (task == null || !task.isTextual() || task.asText().isBlank()) {
            throw invalid("\"task\" must name a registered task");
        }
        return new JobRequest(task.asText(), args(payload.get("args")), files("inputs", payload.get("inputs")),
                files("models", payload.get("models")));
    }

    private static Map<String, String> args(JsonNode node) throws PermanentFailure {
        Map<String, String> args = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return args;
        }
        if (!node.isObject()) {
            throw invalid("\"args\" must be an object of name to string, number or boolean");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!ARG_NAME.matcher(e.getKey()).matches()) {
                throw invalid("argument name '" + e.getKey() + "' must match " + ARG_NAME);
            }
            JsonNode v = e.getValue();
            if (!(v.isTextual() || v.isNumber() || v.isBoolean())) {
                throw invalid("argument '" + e.getKey() + "' must be a string, number or boolean");
            }
            if (v.isBigDecimal() && Math.abs((long) v.decimalValue().scale()) > MAX_ARG_LENGTH) {
                // 1e100000000 is 11 characters in the message and 100 million in plain decimal.
                throw invalid("argument '" + e.getKey() + "' is a number too large or too small to write out");
            }
            String text = text(v);
            if (text.indexOf('\0') >= 0 || text.length() > MAX_ARG_LENGTH) {
                throw invalid("argument '" + e.getKey() + "' holds a NUL character or is longer than "
                        + MAX_ARG_LENGTH + " characters");
            }
            args.put(e.getKey(), text);
        }
        return args;
    }

    /**
     * An argument as the task sees it: a string as is; a number in plain decimal as the message wrote it
     * ({@code 0.0001}, not {@code 1.0E-4}; {@code 1e3} is {@code 1000}); {@code true}/{@code false}
     * (docs/ai.md: Job).
     */
    static String text(JsonNode v) {
        if (v.isBigDecimal()) {
            return v.decimalValue().toPlainString();
        }
        if (v.isFloatingPointNumber()) {
            // A payload parsed without big decimals: the shortest text that reads back as the same double.
            String shortest = Double.toString(v.doubleValue());
            return shortest.contains("E") && Double.isFinite(v.doubleValue())
                    ? new java.math.BigDecimal(shortest).stripTrailingZeros().toPlainString() : shortest;
        }
        return v.asText();
    }

    private static List<InputSpec> files(String field, JsonNode node) throws PermanentFailure {
        List<InputSpec> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw invalid("\"" + field + "\" must be an array of {\"uri\": ..., \"sha256\": ..., \"name\": ...}");
        }
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode item : node) {
            String at = field + "[" + i++ + "]";
            if (!item.isObject() || !item.path("uri").isTextual()) {
                throw invalid(at + " must be an object with a \"uri\" string");
            }
            for (Iterator<String> it = item.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!Set.of("uri", "sha256", "name").contains(f)) {
                    throw invalid(at + " has unknown field '" + f + "' (uri, sha256, name)");
                }
            }
            URI uri;
            try {
                uri = new URI(item.get("uri").asText());
            } catch (URISyntaxException e) {
                throw invalid(at + ".uri is not a URI (" + e.getReason() + " at index " + e.getIndex() + ")");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!Set.of("file", "http", "https").contains(scheme) || uri.getPath() == null) {
                throw invalid(at + ".uri must be a file://, http:// or https:// URI, not '" + scheme + "'");
            }
            Optional<String> sha = Optional.empty();
            if (item.has("sha256") && !item.get("sha256").isNull()) {
                String s = item.get("sha256").asText();
                if (!SHA256.matcher(s).matches()) {
                    throw invalid(at + ".sha256 must be 64 hex digits, was \"" + s + "\"");
                }
                sha = Optional.of(s.toLowerCase(Locale.ROOT));
            }
            String name = item.hasNonNull("name") ? item.get("name").asText() : lastSegment(uri);
            if (!FILE_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
                throw invalid(at + " name \"" + name + "\" is not a plain file name (letters, digits, '.', '_', '-'; "
                        + "give \"name\" when the URI does not end in one)");
            }
            if (!names.add(name)) {
                throw invalid(at + " name \"" + name + "\" is used twice");
            }
            out.add(new InputSpec(name, uri, sha));
        }
        return out;
    }

    private static String lastSegment(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static PermanentFailure invalid(String reason) {
        return new PermanentFailure("invalid_payload", reason);
    }
}
