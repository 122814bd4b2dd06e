package dev.longshore.testkit.aws;

import java.util.Map;

/**
 * One API request a fake received.
 *
 * @param service  {@code autoscaling}, {@code cloudwatch} or {@code ssm}
 * @param action   the operation, e.g. {@code CompleteLifecycleAction}
 * @param params   the query-protocol form parameters, or for JSON protocols the top-level fields as text
 * @param atNanos  {@link System#nanoTime()} when it arrived, for ordering and latency measurements
 */
public record AwsCall(String service, String action, Map<String, String> params, long atNanos) {
    public AwsCall {
        params = Map.copyOf(params);
    }

    public String param(String name) {
        return params.get(name);
    }
}
