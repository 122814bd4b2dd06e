package dev.longshore.core.http;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP/1.1 request to send. The fetcher adds {@code Host}, {@code Content-Length} and
 * {@code Connection: close} itself.
 *
 * @param method  upper-case method
 * @param uri     absolute http(s) URL
 * @param headers header fields in order; values must be Latin-1 without control characters
 * @param body    bytes to send, if any
 */
public record OutboundRequest(String method, URI uri, Map<String, String> headers, Optional<byte[]> body) {
    public OutboundRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        Objects.requireNonNull(body, "body");
    }

    public static OutboundRequest get(URI uri, Map<String, String> headers) {
        return new OutboundRequest("GET", uri, headers, Optional.empty());
    }
}
