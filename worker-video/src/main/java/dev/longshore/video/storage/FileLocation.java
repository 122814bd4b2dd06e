package dev.longshore.video.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;

/** A {@code file://} location: an absolute, normalized path on this machine. */
public record FileLocation(Path path) implements Location {
    public FileLocation {
        Objects.requireNonNull(path, "path");
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("file locations are absolute: " + path);
        }
    }

    /** {@code file:///path}, percent-encoded, the same whether or not the path exists yet. */
    @Override
    public String display() {
        try {
            return new URI("file", "", path.toString(), null).toString();
        } catch (URISyntaxException e) {
            return "file://" + path;
        }
    }
}
