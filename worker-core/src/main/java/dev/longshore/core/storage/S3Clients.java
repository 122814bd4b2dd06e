package dev.longshore.core.storage;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Builds the S3 client from the worker's settings; credentials come from the SDK's default provider chain. */
public final class S3Clients {
    /** A stalled transfer fails after this long without a byte, and the SDK's retries take over. */
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private S3Clients() {
    }

    public static S3Client create(S3Settings settings) {
        return create(settings, DefaultCredentialsProvider.builder().build());
    }

    public static S3Client create(S3Settings settings, AwsCredentialsProvider credentials) {
        S3ClientBuilder b = S3Client.builder()
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.builder()
                        .socketTimeout(SOCKET_TIMEOUT)
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .build())
                .forcePathStyle(settings.pathStyle());
        settings.endpoint().ifPresent(b::endpointOverride);
        settings.region().ifPresent(r -> b.region(Region.of(r)));
        return b.build();
    }
}
