package dev.longshore.core.storage;

import java.util.Objects;

/**
 * An object (or, for outputs, a key prefix) in S3: what {@link S3ObjectStore} reads and writes. A worker's own
 * location type implements it (worker-video's {@code S3Location}); {@link #of} makes a plain one.
 */
public interface S3Address {
    String bucket();

    String key();

    /** {@code s3://bucket/key}, for logs, manifests and result messages. */
    default String display() {
        return "s3://" + bucket() + "/" + key();
    }

    static Plain of(String bucket, String key) {
        return new Plain(bucket, key);
    }

    /** An address with nothing else attached; {@link #child} appends to the key, for objects under a prefix. */
    record Plain(String bucket, String key) implements S3Address {
        public Plain {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(key, "key");
        }

        public Plain child(String name) {
            return new Plain(bucket, key + name);
        }

        @Override
        public String toString() {
            return display();
        }
    }
}
