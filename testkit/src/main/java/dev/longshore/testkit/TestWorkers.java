package dev.longshore.testkit;

import dev.longshore.core.Worker;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.config.Env;
import dev.longshore.core.config.WorkerConfig;
import dev.longshore.core.metrics.Metrics;
import dev.longshore.core.queue.QueueClient;
import dev.longshore.core.queue.SqsQueueClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** Real workers inside the test JVM against an {@link EmbeddedSqs}, and the waiting helpers their tests use. */
public final class TestWorkers {
    private TestWorkers() {
    }

    public static Worker start(EmbeddedSqs sqs, String queueUrl, WorkerPlugin plugin, Map<String, String> extraEnv) throws Exception {
        return start(client(sqs), queueUrl, plugin, extraEnv);
    }

    /**
     * A worker on {@code client}: a test that records or breaks queue calls wraps {@link #client} and keeps its
     * wrapper to read afterwards.
     */
    public static Worker start(QueueClient client, String queueUrl, WorkerPlugin plugin, Map<String, String> extraEnv)
            throws Exception {
        Worker worker = new Worker(config(queueUrl, extraEnv), plugin, client, new Metrics(), Clock.systemUTC());
        worker.start();
        return worker;
    }

    /** The configuration of an in-JVM test worker: no health port, no CloudWatch, {@code extraEnv} on top. */
    public static WorkerConfig config(String queueUrl, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>();
        env.put("WORKER_QUEUE_URL", queueUrl);
        env.put("WORKER_HEALTH_PORT", "off");
        env.put("WORKER_METRICS_NAMESPACE", "off");
        env.putAll(extraEnv);
        return WorkerConfig.fromEnv("test", new Env(env), 4);
    }

    /** Builds the worker (not started) with {@code metrics}, so a test can wrap its plugin first. */
    public static Worker create(EmbeddedSqs sqs, WorkerConfig config, WorkerPlugin plugin, Metrics metrics) {
        return new Worker(config, plugin, client(sqs), metrics, Clock.systemUTC());
    }

    /** A queue client for the embedded server. */
    public static SqsQueueClient client(EmbeddedSqs sqs) {
        return SqsQueueClient.create(sqs.endpoint(), Region.of(EmbeddedSqs.REGION), StaticCredentialsProvider.create(
                AwsBasicCredentials.create(EmbeddedSqs.ACCESS_KEY, EmbeddedSqs.SECRET_KEY)));
    }

    /** A worker against any SQS endpoint (LocalStack), with explicit region and credentials. */
    public static Worker start(URI endpoint, String region, String accessKey, String secretKey, String queueUrl,
                               WorkerPlugin plugin, Map<String, String> extraEnv) throws Exception {
        WorkerConfig config = config(queueUrl, extraEnv);
        SqsQueueClient client = SqsQueueClient.create(endpoint, Region.of(region),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
        Worker worker = new Worker(config, plugin, client, new Metrics(), Clock.systemUTC());
        worker.start();
        return worker;
    }

    /** Polls {@code condition} every 20 ms until it holds or {@code timeout} passes. */
    public static boolean eventually(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    public static String job(String id, String type, String payloadJson) {
        return "{\"jobId\":\"" + id + "\",\"type\":\"" + type + "\",\"payload\":" + payloadJson + "}";
    }
}
