package dev.longshore.core.queue.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import software.amazon.awssdk.regions.Region;

/** The endpoint settings the AWS SDK defines, in its order (set here as system properties, its other source). */
@ResourceLock("system-properties")
class SqsEndpointTest {
    private static URI resolveWith(Map<String, String> properties, String region) {
        properties.forEach(System::setProperty);
        try {
            return SqsEndpoint.resolve(Region.of(region));
        } finally {
            properties.keySet().forEach(System::clearProperty);
        }
    }

    @Test
    void withoutAnOverrideItIsTheRegionsEndpointInItsPartition() {
        assertEquals(URI.create("https://sqs.eu-west-1.amazonaws.com"), resolveWith(Map.of(), "eu-west-1"));
        assertEquals(URI.create("https://sqs.cn-north-1.amazonaws.com.cn"), resolveWith(Map.of(), "cn-north-1"));
    }

    @Test
    void theSqsOverrideWinsOverTheGeneralOne() {
        assertEquals(URI.create("http://127.0.0.1:9324"), resolveWith(Map.of("aws.endpointUrlSqs", "http://127.0.0.1:9324",
                "aws.endpointUrl", "http://127.0.0.1:4566"), "us-east-1"));
        assertEquals(URI.create("http://127.0.0.1:4566"), resolveWith(Map.of("aws.endpointUrl", "http://127.0.0.1:4566"),
                "us-east-1"));
    }

    @Test
    void ignoringConfiguredEndpointsLeavesTheRegionsEndpoint() {
        assertEquals(URI.create("https://sqs.us-east-1.amazonaws.com"), resolveWith(Map.of(
                "aws.ignoreConfiguredEndpointUrls", "true", "aws.endpointUrlSqs", "http://127.0.0.1:9324",
                "aws.endpointUrl", "http://127.0.0.1:4566"), "us-east-1"));
    }
}
