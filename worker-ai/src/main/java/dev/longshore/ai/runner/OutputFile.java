package dev.longshore.ai.runner;

import java.util.Optional;

/**
 * One file the task wrote under {@code outputs/}: its path relative to it, size in bytes and sha256; and, when
 * outputs go to S3 (WORKER_AI_OUTPUT_PREFIX), the object's {@code s3://} URI (docs/ai.md: Outputs on S3).
 */
public record OutputFile(String path, long size, String sha256, Optional<String> uri) {
    public OutputFile(String path, long size, String sha256) {
        this(path, size, sha256, Optional.empty());
    }

    public OutputFile withUri(String objectUri) {
        return new OutputFile(path, size, sha256, Optional.of(objectUri));
    }
}
