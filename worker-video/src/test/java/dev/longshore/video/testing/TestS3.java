package dev.longshore.video.testing;

import dev.longshore.video.config.S3Settings;
import dev.longshore.video.storage.S3Clients;
import dev.longshore.video.storage.S3Storage;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** S3 storage pointed at a {@link FakeS3Server}, path-style as an operator points it at MinIO, or as AWS's default. */
public final class TestS3 {
    private TestS3() {
    }

    public static S3Settings settings(FakeS3Server server, long threshold, long partSize) {
        return new S3Settings(Optional.of(server.endpoint()), Optional.of("us-east-1"), true, threshold, partSize);
    }

    /** Virtual-hosted style ({@code WORKER_VIDEO_S3_PATH_STYLE} unset): the bucket travels in the host name. */
    public static S3Settings virtualHostSettings(FakeS3Server server, long threshold, long partSize) {
        return new S3Settings(Optional.of(server.virtualHostEndpoint()), Optional.of("us-east-1"), false, threshold,
                partSize);
    }

    public static S3Storage storage(FakeS3Server server, long threshold, long partSize) {
        return storage(settings(server, threshold, partSize));
    }

    public static S3Storage virtualHostStorage(FakeS3Server server, long threshold, long partSize) {
        return storage(virtualHostSettings(server, threshold, partSize));
    }

    private static S3Storage storage(S3Settings settings) {
        return new S3Storage(() -> S3Clients.create(settings,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))), settings);
    }
}
