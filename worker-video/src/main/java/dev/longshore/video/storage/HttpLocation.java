package dev.longshore.video.storage;

import dev.longshore.core.http.Urls;
import java.net.URI;
import java.util.Objects;

/**
 * An {@code http(s)://} input. Only its origin is ever shown: the path and query of a pre-signed URL carry its
 * signature (README: Security).
 */
public record HttpLocation(URI uri) implements Location {
    public HttpLocation {
        Objects.requireNonNull(uri, "uri");
    }

    @Override
    public String display() {
        return Urls.redact(uri);
    }

    @Override
    public String toString() {
        return "HttpLocation[" + display() + "]";
    }
}
