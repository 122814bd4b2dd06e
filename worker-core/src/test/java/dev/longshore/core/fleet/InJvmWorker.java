package dev.longshore.core.fleet;

import dev.longshore.core.Worker;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.config.Env;
import dev.longshore.core.config.WorkerConfig;
import dev.longshore.core.metrics.Metrics;
import dev.longshore.core.queue.SqsQueueClient;
import dev.longshore.local.EmbeddedSqs;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** Real workers inside the test JVM against an {@link EmbeddedSqs}. */
final class InJvmWorker {
    private InJvmWorker() {
    }

    static WorkerConfig config(String queueUrl, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("WORKER_QUEUE_URL", queueUrl);
        env.put("WORKER_HEALTH_PORT", "off");
        env.put("WORKER_METRICS_NAMESPACE", "off");
        env.put("WORKER_RECEIVE_WAIT", "1s");
        env.putAll(extra);
        return WorkerConfig.fromEnv("test", new Env(env), 4);
    }

    /** Builds the worker (not started) with {@code metrics}, so a test can wrap its plugin first. */
    static Worker create(EmbeddedSqs sqs, WorkerConfig config, WorkerPlugin plugin, Metrics metrics) {
        SqsQueueClient client = SqsQueueClient.create(b -> b.endpointOverride(sqs.endpoint())
                .region(Region.of(EmbeddedSqs.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(EmbeddedSqs.ACCESS_KEY, EmbeddedSqs.SECRET_KEY))));
        return new Worker(config, plugin, client, metrics, Clock.systemUTC());
    }

    static boolean eventually(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }
}
