package dev.longshore.testkit.s3;

import dev.longshore.core.storage.S3Clients;
import dev.longshore.core.storage.S3ObjectStore;
import dev.longshore.core.storage.S3Settings;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * worker-core's S3 object store pointed at a {@link FakeS3Server}: path-style as an operator points it at MinIO,
 * or virtual-hosted as AWS's default; and the environment that points a worker process at it.
 */
public final class TestS3 {
    /** The variable prefix of settings built here; a test that checks a message's variable name builds its own. */
    public static final String VARIABLE_PREFIX = "WORKER_TEST_S3";
    public static final String REGION = "us-east-1";

    private TestS3() {
    }

    public static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    }

    public static S3Settings settings(FakeS3Server server, long threshold, long partSize) {
        return new S3Settings(VARIABLE_PREFIX, Optional.of(server.endpoint()), Optional.of(REGION), true, threshold,
                partSize);
    }

    /** Virtual-hosted style ({@code <prefix>_PATH_STYLE} unset): the bucket travels in the host name. */
    public static S3Settings virtualHostSettings(FakeS3Server server, long threshold, long partSize) {
        return new S3Settings(VARIABLE_PREFIX, Optional.of(server.virtualHostEndpoint()), Optional.of(REGION), false,
                threshold, partSize);
    }

    public static S3ObjectStore storage(FakeS3Server server, long threshold, long partSize) {
        return storage(settings(server, threshold, partSize));
    }

    public static S3ObjectStore virtualHostStorage(FakeS3Server server, long threshold, long partSize) {
        return storage(virtualHostSettings(server, threshold, partSize));
    }

    /** A store with these settings and the test credentials (the server does not check signatures). */
    public static S3ObjectStore storage(S3Settings settings) {
        return new S3ObjectStore(() -> S3Clients.create(settings, credentials()), settings);
    }

    /**
     * What a worker process needs to reach the server, path-style: {@code AWS_ENDPOINT_URL_S3} and
     * {@code <variablePrefix>_PATH_STYLE=true}. Region and credentials are the ones the worker has for SQS (any
     * will do: the server does not check signatures).
     *
     * @param variablePrefix the worker's S3 settings prefix, e.g. {@code WORKER_VIDEO_S3}
     */
    public static Map<String, String> workerEnvironment(FakeS3Server server, String variablePrefix) {
        return Map.of("AWS_ENDPOINT_URL_S3", server.endpoint().toString(), variablePrefix + "_PATH_STYLE", "true");
    }
}
