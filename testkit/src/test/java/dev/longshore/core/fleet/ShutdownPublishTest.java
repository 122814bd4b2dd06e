package dev.longshore.core.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.Worker;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.config.Env;
import dev.longshore.core.config.WorkerConfig;
import dev.longshore.core.job.Job;
import dev.longshore.core.job.JobContext;
import dev.longshore.core.job.JobHandler;
import dev.longshore.core.metrics.Metrics;
import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.TestWorkers;
import dev.longshore.testkit.aws.AwsCall;
import dev.longshore.testkit.aws.FakeAws;
import dev.longshore.testkit.aws.FakeCloudWatch;
import dev.longshore.testkit.aws.FakeCloudWatch.Datum;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The publisher sends once a minute; without a last publish at shutdown, the jobs an instance finished in its last
 * minute before scale-in would never reach the dashboard (docs/deploy.md, "Alarms and dashboard").
 */
class ShutdownPublishTest {

    @Test
    void jobFinishedJustBeforeShutdownIsCountedInCloudWatch() throws Exception {
        JobHandler handler = new JobHandler() {
            @Override
            public Set<String> types() {
                return Set.of("noop");
            }

            @Override
            public void handle(Job job, JobContext context) {
            }
        };
        try (FakeAws aws = FakeAws.start(); EmbeddedSqs sqs = EmbeddedSqs.start()) {
            String queue = sqs.createQueueWithDeadLetter("last-publish", 5, Duration.ofSeconds(30)).queueUrl();
            WorkerConfig config = WorkerConfig.fromEnv("test", new Env(Map.of("WORKER_QUEUE_URL", queue,
                    "WORKER_HEALTH_PORT", "off", "WORKER_METRICS_NAMESPACE", "Longshore-test")), 4);
            AwsClients clients = AwsClients.at(aws.endpoint());
            WorkerPlugin plugin = Fleet.attach(WorkerPlugin.of(handler), config, FleetSettings.from(config.env()),
                    FleetFixtures.context(aws), CloudWatchPublisher.sdkSink(clients), Clock.systemUTC());
            Metrics metrics = new Metrics();
            Worker worker = TestWorkers.create(sqs, config, plugin, metrics);
            worker.start();
            try {
                sqs.client().sendMessage(b -> b.queueUrl(queue).messageBody(TestWorkers.job("last-1", "noop", "{}")));
                assertTrue(TestWorkers.eventually(Duration.ofSeconds(20), () -> metrics.succeeded().value() == 1));
                assertTrue(aws.cloudWatch().calls().isEmpty(), "the minute's publish has not come round yet");
            } finally {
                long closing = System.nanoTime();
                worker.close();
                assertTrue((System.nanoTime() - closing) / 1_000_000
                        < CloudWatchPublisher.FINAL_PUBLISH_TIMEOUT.toMillis() + 5_000, "bounded");
                clients.close();
            }
            List<AwsCall> calls = aws.cloudWatch().calls();
            assertEquals(1, calls.size(), "one last publish: " + calls);
            List<Datum> datums = FakeCloudWatch.datums(calls.get(0));
            Datum success = datums.stream().filter(d -> d.name().equals("MessagesProcessed")
                    && "success".equals(d.dimensions().get("Outcome"))).findFirst().orElseThrow();
            assertEquals(1, success.number("Value"));
        }
    }
}
