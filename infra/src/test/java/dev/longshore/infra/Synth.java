package dev.longshore.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

/** Synthesizes the App with settings and gives the template as JSON, with lookups tests need. */
final class Synth {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Template template;
    final JsonNode json;

    private Synth(Template template) {
        this.template = template;
        this.json = JSON.valueToTree(template.toJSON());
    }

    /** settings: alternating keys and values, as `-c key=value` would give them. */
    static Synth of(String... settings) {
        Map<String, Object> context = new LinkedHashMap<>();
        for (int i = 0; i < settings.length; i += 2) {
            context.put(settings[i], settings[i + 1]);
        }
        App app = new App(AppProps.builder().context(context).build());
        return new Synth(Template.fromStack(LongshoreApp.build(app)));
    }

    /** Logical id and resource of every resource of a type whose id starts with the prefix ("" for all). */
    Map<String, JsonNode> resources(String type, String idPrefix) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        json.get("Resources").fields().forEachRemaining(e -> {
            if (e.getValue().get("Type").asText().equals(type) && e.getKey().startsWith(idPrefix)) {
                found.put(e.getKey(), e.getValue());
            }
        });
        return found;
    }

    /** The only resource of a type whose logical id starts with the prefix. */
    JsonNode one(String type, String idPrefix) {
        Map<String, JsonNode> found = resources(type, idPrefix);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type + " starting with " + idPrefix + ", found " + found.keySet());
        }
        return found.values().iterator().next().get("Properties");
    }

    String logicalId(String type, String idPrefix) {
        Map<String, JsonNode> found = resources(type, idPrefix);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type + " starting with " + idPrefix + ", found " + found.keySet());
        }
        return found.keySet().iterator().next();
    }

    /**
     * A launch template's user data with every CloudFormation reference replaced by a plausible value, as the
     * instance would receive it.
     */
    String userData(String worker) {
        String id = Character.toUpperCase(worker.charAt(0)) + worker.substring(1);
        JsonNode join = one("AWS::EC2::LaunchTemplate", id).get("LaunchTemplateData").get("UserData")
                .get("Fn::Base64").get("Fn::Join");
        StringBuilder out = new StringBuilder();
        for (JsonNode part : join.get(1)) {
            if (part.isTextual()) {
                out.append(part.asText());
            } else if (part.has("Ref")) {
                out.append(switch (part.get("Ref").asText()) {
                    case "AWS::Region" -> "ap-southeast-2";
                    case "AWS::AccountId" -> "123456789012";
                    case "AWS::URLSuffix" -> "amazonaws.com";
                    default -> "https://sqs.ap-southeast-2.amazonaws.com/123456789012/Longshore-" + worker
                            + "QueueABCDEF12-AbCdEfGhIjKl";
                });
            } else {
                throw new AssertionError("unexpected user-data part " + part);
            }
        }
        return out.toString();
    }

    static List<JsonNode> list(JsonNode node) {
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(items::add);
        } else {
            items.add(node);
        }
        return items;
    }
}
