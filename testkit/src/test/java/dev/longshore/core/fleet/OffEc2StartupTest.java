package dev.longshore.core.fleet;

import dev.longshore.core.testing.SleepWorkerMain;

import dev.longshore.testkit.LogCapture;
import dev.longshore.testkit.TestWorkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.Worker;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.config.WorkerConfig;
import dev.longshore.core.job.JobHandler;
import dev.longshore.core.metrics.Metrics;
import dev.longshore.testkit.EmbeddedSqs;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Off EC2 the fleet features must cost start-up nothing and say once that they are off. */
class OffEc2StartupTest {

    @Test
    void workerStartsAtOnceWorksAndSaysOnceThatMetadataIsMissingWhenItNeverAnswers() throws Exception {
        AtomicInteger done = new AtomicInteger();
        JobHandler handler = JobHandler.of("sleep", (job, context) -> {
            done.incrementAndGet();
        });
        try (Blackhole imdsThatNeverAnswers = new Blackhole();
             EmbeddedSqs sqs = EmbeddedSqs.start();
             LogCapture logs = new LogCapture(FleetContext.class)) {
            String queue = sqs.createQueueWithDeadLetter("off-ec2", 5, Duration.ofSeconds(30)).queueUrl();
            sqs.client().sendMessage(b -> b.queueUrl(queue).messageBody(SleepWorkerMain.job("j1", 0)));
            WorkerConfig config = TestWorkers.config(queue, Map.of("WORKER_LIFECYCLE_HOOK_NAME", "drain",
                    "WORKER_LIFECYCLE_POLL_INTERVAL", "200ms", "WORKER_SCALE_IN_PROTECTION", "true"));
            AwsClients clients = AwsClients.at(Blackhole.refused());
            // The probe is held until the test lets it go: start() and the first job must not wait for it.
            CountDownLatch probeMayRun = new CountDownLatch(1);
            AtomicInteger probes = new AtomicInteger();
            InstanceMetadata imds = new ImdsInstanceMetadata(Optional.of(imdsThatNeverAnswers.endpoint()),
                    ImdsInstanceMetadata.DEFAULT_TOKEN_TTL);
            InstanceMetadata held = new InstanceMetadata() {
                @Override
                public Optional<String> read(String path) throws MetadataUnavailableException {
                    probes.incrementAndGet();
                    try {
                        probeMayRun.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return imds.read(path);
                }

                @Override
                public String endpoint() {
                    return imds.endpoint();
                }

                @Override
                public void close() {
                    imds.close();
                }
            };
            FleetContext fleet = new FleetContext(held, new SdkAutoScalingApi(clients::autoScaling), Optional.empty(),
                    clients, Clock.systemUTC());
            WorkerPlugin plugin = Fleet.attach(WorkerPlugin.of(handler), config, FleetSettings.from(config.env()), fleet,
                    (ns, d) -> { }, Clock.systemUTC());
            assertEquals(3, plugin.extensions().size(), "watcher, protection, context");
            Worker worker = TestWorkers.create(sqs, config, plugin, new Metrics());

            worker.start();
            assertTrue(TestWorkers.eventually(Duration.ofSeconds(10), () -> done.get() == 1), "the job ran, probe held");
            assertEquals(1, probes.get(), "the probe runs on a feature's thread, once");
            assertTrue(logs.messagesContaining("no instance metadata").isEmpty());

            probeMayRun.countDown();
            // Both features give up once the probe times out: their threads end.
            assertTrue(TestWorkers.eventually(Duration.ofSeconds(10), () -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().equals("worker-test-lifecycle") || t.getName().equals("worker-test-protection"))));
            // Two features asked; one probe, one line.
            assertEquals(1, probes.get());
            assertEquals(1, logs.messagesContaining("no instance metadata").size(), logs.messagesContaining("").toString());
            worker.close();
        }
    }
}
