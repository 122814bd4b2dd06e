package dev.longshore.video.storage;

import dev.longshore.core.storage.S3Address;
import java.util.Objects;

/**
 * An {@code s3://bucket/key} location; for outputs the key is a prefix that is empty or ends with '/'. worker-core's
 * {@link dev.longshore.core.storage.S3ObjectStore} reads and writes it.
 */
public record S3Location(String bucket, String key) implements Location, S3Address {
    public S3Location {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
    }

    /** The key of {@code name} under this prefix. */
    public S3Location child(String name) {
        return new S3Location(bucket, key + name);
    }

    /** Location and S3Address both declare display(); worker-core's form is the one. */
    @Override
    public String display() {
        return S3Address.super.display();
    }
}
