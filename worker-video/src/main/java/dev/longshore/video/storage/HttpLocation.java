package dev.longshore.video.storage;

import java.net.URI;
import java.util.Objects;

/** An {@code http(s)://} input. The query string may hold a pre-signed URL's signature, so it is never shown. */
public record HttpLocation(URI uri) implements Location {
    public HttpLocation {
        Objects.requireNonNull(uri, "uri");
    }

    @Override
    public String display() {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    @Override
    public String toString() {
        return "HttpLocation[" + display() + "]";
    }
}
