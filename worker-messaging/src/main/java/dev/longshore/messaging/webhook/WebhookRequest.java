package dev.longshore.messaging.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshore.core.job.PermanentFailure;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A validated {@code notify.webhook} payload: {@code {"url", "method", "headers", "body"}} (README: How a message is handled).
 * Any other field is refused ({@code invalid_payload} naming it): a sender who writes {@code "timeout": 5} expects
 * it to be honoured, and silently ignoring it would hide the mistake (docs/messaging.md: Webhooks).
 * A JSON body is sent as JSON; a string body as text, both UTF-8. A message's own values of the headers the
 * worker sets ({@code User-Agent}, {@code X-Longshore-*}, {@code Idempotency-Key}) are dropped (README: Security).
 */
record WebhookRequest(URI url, String method, Map<String, String> headers, Optional<String> body, String contentType) {
    private static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH", "GET", "DELETE");
    static final Set<String> FIELDS = Set.of("url", "method", "headers", "body");
    /** Set by the worker; a message's value is dropped so it can neither override nor duplicate it. */
    static final Set<String> WORKER_HEADERS = Set.of("user-agent", "x-longshore-job-id", "x-longshore-attempt",
            "x-longshore-signature", "idempotency-key");
    /** Set by the HTTP client itself, or dangerous to let a message choose. */
    private static final Set<String> RESTRICTED_HEADERS = Set.of("host", "content-length", "connection", "expect",
            "upgrade", "transfer-encoding", "te", "trailer", "keep-alive", "proxy-authorization", "proxy-connection");

    static WebhookRequest parse(ObjectNode payload) throws PermanentFailure {
        for (var names = payload.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new PermanentFailure("invalid_payload", "notify.webhook payload field '" + printable(name)
                        + "' is not supported (fields: body, headers, method, url); the request timeout is"
                        + " WORKER_WEBHOOK_TIMEOUT");
            }
        }
        JsonNode urlNode = payload.get("url");
        if (urlNode == null || !urlNode.isTextual() || urlNode.textValue().isBlank()) {
            throw new PermanentFailure("invalid_payload", "notify.webhook payload needs a url string");
        }
        URI url;
        try {
            url = new URI(urlNode.textValue().trim());
        } catch (URISyntaxException e) {
            throw new PermanentFailure("invalid_payload", "webhook url is not a valid URI (" + e.getReason()
                    + " at index " + e.getIndex() + ")");
        }
        if (!url.isAbsolute()) {
            throw new PermanentFailure("invalid_payload", "webhook url must be absolute (scheme://host/...)");
        }
        JsonNode methodNode = payload.get("method");
        String method = methodNode == null || methodNode.isNull() ? "POST" : methodNode.asText().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw new PermanentFailure("invalid_payload", "webhook method " + method + " is not one of " + METHODS);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode headersNode = payload.get("headers");
        if (headersNode != null && !headersNode.isNull()) {
            if (!headersNode.isObject()) {
                throw new PermanentFailure("invalid_payload", "webhook headers must be an object of strings");
            }
            for (var it = headersNode.fields(); it.hasNext(); ) {
                var e = it.next();
                String name = e.getKey();
                if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                    throw new PermanentFailure("invalid_payload", "webhook header name '" + name + "' is not a valid token");
                }
                if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    throw new PermanentFailure("invalid_payload", "webhook header " + name + " may not be set by a message");
                }
                if (!e.getValue().isTextual()) {
                    throw new PermanentFailure("invalid_payload", "webhook header " + name + " must be a string");
                }
                if (unsafe(e.getValue().textValue())) {
                    throw new PermanentFailure("invalid_header", "webhook header " + name
                            + " holds NUL, CR, LF, another control character or a character beyond Latin-1");
                }
                if (!WORKER_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    headers.put(name, e.getValue().textValue());
                }
            }
        }
        JsonNode bodyNode = payload.get("body");
        Optional<String> body = Optional.empty();
        String contentType = "application/json";
        if (bodyNode != null && !bodyNode.isNull()) {
            if (bodyNode.isTextual()) {
                body = Optional.of(bodyNode.textValue());
                contentType = "text/plain; charset=utf-8";
            } else {
                body = Optional.of(bodyNode.toString());
            }
        }
        if (headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("content-type"))) {
            contentType = null;
        }
        return new WebhookRequest(url, method, headers, body, contentType == null ? "" : contentType);
    }

    /** A field name for a reason: short, and only characters SQS attributes accept. */
    static String printable(String name) {
        String cut = name.length() > 64 ? name.substring(0, 61) + "..." : name;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** HTTP/1.1 header values are Latin-1 text: anything else could split the request or be mangled. */
    private static boolean unsafe(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xff || c < 0x20 && c != '\t' || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
