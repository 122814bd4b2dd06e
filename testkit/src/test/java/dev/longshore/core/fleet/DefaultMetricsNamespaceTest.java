package dev.longshore.core.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.Worker;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.config.Env;
import dev.longshore.core.config.WorkerConfig;
import dev.longshore.core.job.JobHandler;
import dev.longshore.core.metrics.Metrics;
import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.TestWorkers;
import dev.longshore.testkit.aws.AwsCall;
import dev.longshore.testkit.aws.FakeAws;
import dev.longshore.testkit.aws.FakeCloudWatch;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every other test turns CloudWatch off (WORKER_METRICS_NAMESPACE=off); this one leaves the variable unset, as an
 * operator who never heard of it would, and checks that the worker publishes to the README's default namespace.
 */
class DefaultMetricsNamespaceTest {

    @Test
    void workerWithoutANamespaceSettingPublishesToLongshore() throws Exception {
        JobHandler handler = JobHandler.of("noop", (job, context) -> {
        });
        try (FakeAws aws = FakeAws.start(); EmbeddedSqs sqs = EmbeddedSqs.start()) {
            String queue = sqs.createQueueWithDeadLetter("default-namespace", 5, Duration.ofSeconds(30)).queueUrl();
            WorkerConfig config = WorkerConfig.fromEnv("test", new Env(Map.of("WORKER_QUEUE_URL", queue,
                    "WORKER_HEALTH_PORT", "off")), 4);
            assertEquals(WorkerConfig.DEFAULT_METRICS_NAMESPACE, config.metricsNamespace().orElseThrow());
            AwsClients clients = AwsClients.at(aws.endpoint());
            WorkerPlugin plugin = Fleet.attach(WorkerPlugin.of(handler), config, FleetSettings.from(config.env()),
                    FleetFixtures.context(aws), CloudWatchPublisher.sdkSink(clients), Clock.systemUTC());
            CloudWatchPublisher publisher = plugin.extensions().stream().filter(CloudWatchPublisher.class::isInstance)
                    .map(CloudWatchPublisher.class::cast).findFirst()
                    .orElseThrow(() -> new AssertionError("no CloudWatch publisher in " + plugin.extensions()));
            Worker worker = TestWorkers.create(sqs, config, plugin, new Metrics());
            worker.start();
            try {
                // The publisher's own period is a minute; publish now rather than wait for it.
                assertTrue(publisher.publishOnce(), "accepted by CloudWatch's rules: " + aws.cloudWatch().rejectedCalls());
            } finally {
                worker.close();
                clients.close();
            }
            List<AwsCall> calls = aws.cloudWatch().calls();
            assertEquals(1, calls.size());
            assertEquals("Longshore", calls.get(0).param("Namespace"));
            assertTrue(FakeCloudWatch.datums(calls.get(0)).stream()
                    .allMatch(d -> "test".equals(d.dimensions().get("WorkerName"))));
        }
    }
}
