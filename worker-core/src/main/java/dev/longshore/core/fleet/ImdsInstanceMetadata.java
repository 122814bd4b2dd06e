package dev.longshore.core.fleet;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.imds.Ec2MetadataClient;
import software.amazon.awssdk.imds.Ec2MetadataClientException;
import software.amazon.awssdk.imds.Ec2MetadataRetryPolicy;

/**
 * IMDSv2 through the SDK's {@link Ec2MetadataClient}, which resolves the endpoint the standard way
 * ({@code AWS_EC2_METADATA_SERVICE_ENDPOINT}, the profile, else 169.254.169.254) and caches its session token for
 * the TTL it asked for. What the SDK client does not do is recover when the service refuses a cached token
 * (401: the token expired early or the metadata service restarted); then this class starts over with a new
 * client, which fetches a new token, and retries once.
 */
final class ImdsInstanceMetadata implements InstanceMetadata {
    /**
     * Bounds each connect and each read. On EC2 the service answers in milliseconds; off EC2 169.254.169.254
     * does not answer at all, and this is all the time the probe costs (on the watcher's thread, not start-up).
     */
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** Six hours, the most IMDS grants and the SDK's default: one token PUT per six hours of polling. */
    static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(6);
    private static final String DEFAULT_ENDPOINT = "http://169.254.169.254";

    private final Optional<URI> endpointOverride;
    private final Duration tokenTtl;
    /** AWS_EC2_METADATA_DISABLED=true (the SDK's own switch) means: behave as off EC2, contact nothing. */
    private final boolean disabled;
    private final SdkHttpClient http;
    private Ec2MetadataClient client;

    ImdsInstanceMetadata(Optional<URI> endpointOverride, Duration tokenTtl) {
        this.endpointOverride = endpointOverride;
        this.tokenTtl = tokenTtl;
        this.disabled = "true".equalsIgnoreCase(System.getenv("AWS_EC2_METADATA_DISABLED"))
                || "true".equalsIgnoreCase(System.getProperty("aws.disableEc2Metadata"));
        this.http = UrlConnectionHttpClient.builder().connectionTimeout(TIMEOUT).socketTimeout(TIMEOUT).build();
    }

    /** The standard endpoint resolution, six-hour tokens. */
    static ImdsInstanceMetadata standard() {
        return new ImdsInstanceMetadata(Optional.empty(), DEFAULT_TOKEN_TTL);
    }

    @Override
    public synchronized Optional<String> read(String path) throws MetadataUnavailableException {
        if (disabled) {
            throw new MetadataUnavailableException("instance metadata is disabled (AWS_EC2_METADATA_DISABLED=true)", null, false);
        }
        try {
            return readOnce(path);
        } catch (Ec2MetadataClientException e) {
            if (e.statusCode() != 401) {
                throw unavailable(path, e);
            }
            // The cached token was refused: drop it with the client and try once more with a fresh one.
            resetClient();
            try {
                return readOnce(path);
            } catch (SdkException again) {
                throw unavailable(path, again);
            }
        } catch (SdkException e) {
            throw unavailable(path, e);
        }
    }

    private Optional<String> readOnce(String path) {
        try {
            return Optional.of(client().get("/latest/meta-data/" + path).asString());
        } catch (Ec2MetadataClientException e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Ec2MetadataClient client() {
        if (client == null) {
            Ec2MetadataClient.Builder b = Ec2MetadataClient.builder()
                    .httpClient(http)
                    .tokenTtl(tokenTtl)
                    // The caller polls again on its own schedule; retrying here would stretch the off-EC2 probe.
                    .retryPolicy(Ec2MetadataRetryPolicy.none());
            endpointOverride.ifPresent(b::endpoint);
            client = b.build();
        }
        return client;
    }

    private void resetClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    private MetadataUnavailableException unavailable(String path, Exception e) {
        return new MetadataUnavailableException("instance metadata " + path + " at " + endpoint() + ": "
                + oneLine(e.getMessage()), e, answeredWithStatus(e));
    }

    /** An HTTP status came back (4xx as Ec2MetadataClientException, 5xx as RetryableException), not silence. */
    private static boolean answeredWithStatus(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Ec2MetadataClientException || t instanceof RetryableException) {
                return true;
            }
        }
        return false;
    }

    static String oneLine(String message) {
        return message == null ? "(no message)" : message.replaceAll("\\s+", " ").trim();
    }

    @Override
    public String endpoint() {
        return endpointOverride.map(URI::toString).orElseGet(() -> {
            String fromEnv = System.getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
            return fromEnv == null || fromEnv.isBlank() ? DEFAULT_ENDPOINT : fromEnv.trim();
        });
    }

    @Override
    public synchronized void close() {
        resetClient();
        http.close();
    }
}
