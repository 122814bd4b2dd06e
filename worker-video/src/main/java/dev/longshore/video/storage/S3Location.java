package dev.longshore.video.storage;

import dev.longshore.core.storage.S3Address;
import java.util.Objects;

/**
 * An {@code s3://bucket/key} location; for outputs the key is a prefix that is empty or ends with '/'. It is
 * worker-core's {@link S3Address.Plain} (which checks and extends the address) made a {@link Location}, so that
 * {@link dev.longshore.core.storage.S3ObjectStore} reads and writes it.
 */
public record S3Location(S3Address.Plain address) implements Location, S3Address {
    public S3Location {
        Objects.requireNonNull(address, "address");
    }

    public S3Location(String bucket, String key) {
        this(S3Address.of(bucket, key));
    }

    @Override
    public String bucket() {
        return address.bucket();
    }

    @Override
    public String key() {
        return address.key();
    }

    /** The key of {@code name} under this prefix. */
    public S3Address.Plain child(String name) {
        return address.child(name);
    }

    /** Location and S3Address both declare display(); worker-core's form is the one. */
    @Override
    public String display() {
        return S3Address.super.display();
    }
}
