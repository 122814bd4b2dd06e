package dev.longshore.core.queue.wire;

import java.net.URI;
import software.amazon.awssdk.awscore.endpoint.AwsClientEndpointProvider;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileFileSystemSetting;
import software.amazon.awssdk.regions.Region;

/**
 * The SQS endpoint the AWS SDK for Java v2 would call (README: Configuration), found with the SDK's own resolver:
 * aws.endpointUrlSqs / AWS_ENDPOINT_URL_SQS, the profile's sqs endpoint_url, aws.endpointUrl / AWS_ENDPOINT_URL,
 * the profile's endpoint_url, else the region's endpoint (FIPS and dual-stack settings honoured).
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true leaves out everything but the region's.
 */
public final class SqsEndpoint {
    private SqsEndpoint() {
    }

    public static URI resolve(Region region) {
        AwsClientEndpointProvider.Builder b = AwsClientEndpointProvider.builder()
                .serviceEndpointPrefix("sqs")
                .defaultProtocol("https")
                .region(region)
                .profileFile(ProfileFile::defaultProfileFile)
                .profileName(ProfileFileSystemSetting.AWS_PROFILE.getStringValueOrThrow());
        if (!ignoreConfigured()) {
            b.serviceEndpointOverrideEnvironmentVariable("AWS_ENDPOINT_URL_SQS")
                    .serviceEndpointOverrideSystemProperty("aws.endpointUrlSqs")
                    .serviceProfileProperty("sqs");
        }
        return b.build().clientEndpoint();
    }

    private static boolean ignoreConfigured() {
        String value = System.getProperty("aws.ignoreConfiguredEndpointUrls",
                System.getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"));
        return value != null && value.trim().equalsIgnoreCase("true");
    }
}
