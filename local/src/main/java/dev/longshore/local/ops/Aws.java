package dev.longshore.local.ops;

import java.time.Duration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The clients the operator tools use, configured only by the standard AWS variables ({@code AWS_REGION},
 * credentials, {@code AWS_ENDPOINT_URL_SQS} for a local SQS): nothing of our own to learn.
 */
final class Aws {
    /** An operator waits for these tools: fail within seconds when an endpoint does not answer. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);
    static final String STACK_DEFAULT = "Longshore";

    private Aws() {
    }

    static SqsClient sqs() {
        return SqsClient.builder().httpClient(UrlConnectionHttpClient.builder().socketTimeout(CALL_TIMEOUT).build())
                .overrideConfiguration(c -> c.apiCallTimeout(CALL_TIMEOUT.multipliedBy(2))).build();
    }

    static AutoScalingClient autoScaling() {
        return AutoScalingClient.builder().httpClient(UrlConnectionHttpClient.builder().socketTimeout(CALL_TIMEOUT).build())
                .overrideConfiguration(c -> c.apiCallTimeout(CALL_TIMEOUT)).build();
    }

    /** True when SQS is a local server (the local run's ElasticMQ): Auto Scaling is not there. */
    static boolean localSqs(java.util.Map<String, String> env) {
        String endpoint = env.getOrDefault("AWS_ENDPOINT_URL_SQS", env.getOrDefault("AWS_ENDPOINT_URL", ""));
        return endpoint.contains("localhost") || endpoint.contains("127.0.0.1") || endpoint.contains("[::1]");
    }
}
