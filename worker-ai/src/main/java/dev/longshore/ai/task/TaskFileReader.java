package dev.longshore.ai.task;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a task file (JSON, or YAML) into a tree whose scalars are the text the file wrote: {@code 1.10} stays
 * {@code "1.10"}, YAML's {@code yes} stays {@code "yes"} and {@code 0755} stays {@code "0755"}, where a typed
 * reader would have made them 1.1, true and 493 (docs/ai.md: Tasks). Only {@code null} (and YAML's {@code ~} or
 * an empty value) stays null. A key given twice, and anything after the top-level value, is refused.
 */
final class TaskFileReader {
    private static final JsonFactory JSON = new JsonFactory();
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TaskFileReader() {
    }

    /** @return the top-level value, or null for a file with no content at all */
    static JsonNode read(String text, boolean yaml) throws TaskFileException {
        String format = yaml ? "YAML" : "JSON";
        try (JsonParser p = (yaml ? YAML : JSON).createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return null;
            }
            JsonNode root = value(p, first);
            if (p.nextToken() != null) {
                throw new TaskFileException("not valid " + format + ": more content after the top-level value"
                        + where(p.currentLocation()));
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new TaskFileException("not valid " + format + ": " + describe(e));
        } catch (IOException e) {
            throw new TaskFileException("not valid " + format + ": " + oneLine(String.valueOf(e.getMessage())));
        }
    }

    private static JsonNode value(JsonParser p, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                    String key = p.currentName();
                    JsonLocation at = p.currentLocation();
                    JsonNode v = value(p, p.nextToken());
                    if (object.has(key)) {
                        throw new TaskFileException.Syntax("Duplicate field '" + key + "'", at);
                    }
                    object.set(key, v);
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    array.add(value(p, t));
                }
                return array;
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> {
                return NODES.textNode(p.getText());
            }
        }
    }

    /** SnakeYAML's messages span several lines with a source excerpt; the operator gets one line. */
    private static String describe(JsonProcessingException e) {
        if (e instanceof TaskFileException.Syntax s) {
            return s.problem() + where(e.getLocation());
        }
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof MarkedYAMLException y && y.getProblem() != null) {
                Mark at = y.getProblemMark();
                return oneLine(y.getProblem())
                        + (at == null ? "" : " at line " + (at.getLine() + 1) + ", column " + (at.getColumn() + 1))
                        + (y.getContext() == null ? "" : " (" + oneLine(y.getContext()) + ")");
            }
        }
        String message = String.valueOf(e.getOriginalMessage());
        int newline = message.indexOf('\n');
        return oneLine(newline < 0 ? message : message.substring(0, newline)) + where(e.getLocation());
    }

    private static String where(JsonLocation at) {
        return at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    static String oneLine(String s) {
        return s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
