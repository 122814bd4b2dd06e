package dev.longshore.core.fleet;

import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.SsmClientBuilder;

/**
 * The SDK clients of the fleet features, each built on first use: a worker that enables none of them loads no
 * extra SDK classes, and a client that cannot be built (no region off EC2) fails the feature that needed it, on
 * that feature's thread, not start-up. Region, credentials and endpoints ({@code AWS_ENDPOINT_URL_AUTO_SCALING},
 * {@code AWS_ENDPOINT_URL_CLOUDWATCH}, {@code AWS_ENDPOINT_URL_SSM}) are resolved by the SDK the standard way.
 */
final class AwsClients implements AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);
    /** Caps one call with the SDK's retries, so a drain step or a publish never hangs on an unreachable endpoint. */
    static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(20);

    private final Consumer<AwsClientBuilder<?, ?>> customizer;
    private SdkHttpClient http;
    private AutoScalingClient autoScaling;
    private CloudWatchClient cloudWatch;
    private boolean closed;

    AwsClients(Consumer<AwsClientBuilder<?, ?>> customizer) {
        this.customizer = customizer;
    }

    static AwsClients standard() {
        return new AwsClients(b -> { });
    }

    /** Every client goes to {@code endpoint} in us-east-1 with fixed credentials: for tests and tools. */
    static AwsClients at(URI endpoint) {
        return new AwsClients(fixedEndpoint(endpoint));
    }

    static Consumer<AwsClientBuilder<?, ?>> fixedEndpoint(URI endpoint) {
        return b -> {
            b.endpointOverride(endpoint);
            b.region(Region.US_EAST_1);
            b.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
        };
    }

    synchronized AutoScalingClient autoScaling() {
        if (autoScaling == null) {
            autoScaling = onSharedHttp(AutoScalingClient.builder());
        }
        return autoScaling;
    }

    synchronized CloudWatchClient cloudWatch() {
        if (cloudWatch == null) {
            cloudWatch = onSharedHttp(CloudWatchClient.builder());
        }
        return cloudWatch;
    }

    /** A client on the shared HTTP client, which close() closes; the client itself does not own it. */
    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C onSharedHttp(B builder) {
        builder.httpClient(http()).overrideConfiguration(o -> o.apiCallTimeout(API_CALL_TIMEOUT));
        customizer.accept(builder);
        return builder.build();
    }

    /** A client for one read at start; the caller closes it. */
    SsmClient newSsm() {
        SsmClientBuilder b = SsmClient.builder()
                // A builder, not a client: the SSM client then owns its HTTP client and closes it with itself.
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT).socketTimeout(SOCKET_TIMEOUT))
                .overrideConfiguration(o -> o.apiCallTimeout(API_CALL_TIMEOUT));
        customizer.accept(b);
        return b.build();
    }

    private SdkHttpClient http() {
        if (closed) {
            throw new IllegalStateException("AWS clients already closed");
        }
        if (http == null) {
            http = UrlConnectionHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT).socketTimeout(SOCKET_TIMEOUT).build();
        }
        return http;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (autoScaling != null) {
            autoScaling.close();
        }
        if (cloudWatch != null) {
            cloudWatch.close();
        }
        if (http != null) {
            http.close();
        }
    }
}
