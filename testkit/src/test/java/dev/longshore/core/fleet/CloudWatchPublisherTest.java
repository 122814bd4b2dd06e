package dev.longshore.core.fleet;

import dev.longshore.core.testing.SleepWorkerMain;

import dev.longshore.testkit.FakeWorkerControl;
import dev.longshore.testkit.LogCapture;
import dev.longshore.testkit.TestWorkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.Worker;
import dev.longshore.core.WorkerPlugin;
import dev.longshore.core.WorkerState;
import dev.longshore.core.config.WorkerConfig;
import dev.longshore.core.job.JobHandler;
import dev.longshore.core.metrics.Metrics;
import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.aws.AwsCall;
import dev.longshore.testkit.aws.FakeAws;
import dev.longshore.testkit.aws.FakeCloudWatch;
import dev.longshore.testkit.aws.FakeCloudWatch.Datum;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The publisher with the real CloudWatch client, speaking the query protocol to the fake. */
class CloudWatchPublisherTest {
    private FakeAws aws;
    private AwsClients clients;
    private FakeWorkerControl control;

    @BeforeEach
    void setUp() {
        aws = FakeAws.start();
        clients = AwsClients.at(aws.endpoint());
        control = new FakeWorkerControl();
        control.metrics().bindState(() -> WorkerState.READY);
        control.metrics().bindInflight(() -> 2);
    }

    @AfterEach
    void tearDown() {
        clients.close();
        aws.close();
    }

    /** A publisher to the fake CloudWatch, started on the test's worker. */
    private CloudWatchPublisher startedPublisher(Duration interval, Optional<String> group) {
        CloudWatchPublisher p = new CloudWatchPublisher("Longshore-test", "test", () -> group,
                CloudWatchPublisher.sdkSink(clients), interval, Clock.systemUTC());
        p.start(control);
        return p;
    }

    /** {@code successes} jobs that succeeded, one processing time observed for them. */
    private void jobsSucceeded(int successes, double processingSeconds) {
        control.metrics().succeeded().add(successes);
        control.metrics().processingSeconds().observe(processingSeconds);
    }

    private static Datum find(List<Datum> datums, String name, String dimension, String value) {
        return datums.stream().filter(d -> d.name().equals(name)
                && (dimension == null || value.equals(d.dimensions().get(dimension)))).findFirst()
                .orElseThrow(() -> new AssertionError(name + " " + value + " missing from " + datums));
    }

    private static Optional<Datum> maybe(List<Datum> datums, String name) {
        return datums.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    @Test
    void everyMetricGoesInOneCallWithGroupAndWorkerDimensions() {
        Metrics m = control.metrics();
        m.succeeded().add(3);
        m.retried().add(1);
        for (double s : new double[] {0.2, 0.3, 1.5, 4.0}) {
            m.processingSeconds().observe(s);
        }
        CloudWatchPublisher p = startedPublisher(Duration.ofHours(1), Optional.of("workers-asg"));
        try {
            assertTrue(p.publishOnce());
        } finally {
            p.close();
        }

        List<AwsCall> calls = aws.cloudWatch().calls();
        assertEquals(1, calls.size());
        assertEquals("PutMetricData", calls.get(0).action());
        assertEquals("Longshore-test", calls.get(0).param("Namespace"));
        List<Datum> datums = FakeCloudWatch.datums(calls.get(0));
        assertEquals(3 + 1 + 1 + WorkerState.values().length, datums.size(), datums.toString());
        for (Datum d : datums) {
            assertEquals("workers-asg", d.dimensions().get("AutoScalingGroupName"), d.toString());
            assertEquals("test", d.dimensions().get("WorkerName"), d.toString());
            assertTrue(d.fields().containsKey("Timestamp"), d.toString());
        }
        assertEquals(3, find(datums, "MessagesProcessed", "Outcome", "success").number("Value"));
        assertEquals(1, find(datums, "MessagesProcessed", "Outcome", "retry").number("Value"));
        assertEquals(0, find(datums, "MessagesProcessed", "Outcome", "dead").number("Value"));
        assertEquals("Count", find(datums, "MessagesProcessed", "Outcome", "dead").fields().get("Unit"));
        assertEquals(2, find(datums, "InflightMessages", null, null).number("Value"));
        Datum processing = find(datums, "ProcessingTime", null, null);
        assertEquals("Seconds", processing.fields().get("Unit"));
        assertEquals(4, processing.number("StatisticValues.SampleCount"));
        assertEquals(6.0, processing.number("StatisticValues.Sum"), 1e-9);
        assertEquals(0.1, processing.number("StatisticValues.Minimum"), 1e-9, "bucket (0.1, 0.25]");
        assertEquals(5.0, processing.number("StatisticValues.Maximum"), 1e-9, "bucket (2.5, 5]");
        assertEquals(1, find(datums, "WorkerState", "State", "READY").number("Value"));
        assertEquals(0, find(datums, "WorkerState", "State", "DRAINING").number("Value"));
    }

    @Test
    void laterPublishesSendWhatChangedNotTotals() {
        CloudWatchPublisher p = startedPublisher(Duration.ofHours(1), Optional.empty());
        jobsSucceeded(5, 0.5);
        p.publishOnce();
        control.metrics().succeeded().add(2);
        p.publishOnce();
        p.close();

        List<Datum> second = FakeCloudWatch.datums(aws.cloudWatch().calls().get(1));
        assertEquals(2, find(second, "MessagesProcessed", "Outcome", "success").number("Value"));
        assertTrue(maybe(second, "ProcessingTime").isEmpty(), "no statistic set without observations");
        assertFalse(second.get(0).dimensions().containsKey("AutoScalingGroupName"), "group unknown: not sent");
    }

    @Test
    void failedPublishCarriesItsCountsIntoTheNextOne() {
        CloudWatchPublisher p = startedPublisher(Duration.ofHours(1), Optional.empty());
        jobsSucceeded(4, 2.0);
        aws.cloudWatch().failing(true);
        assertFalse(p.publishOnce());
        aws.cloudWatch().failing(false);
        jobsSucceeded(1, 2.0);
        assertTrue(p.publishOnce());
        p.close();

        assertTrue(aws.cloudWatch().failedCalls() >= 1);
        List<Datum> datums = FakeCloudWatch.datums(aws.cloudWatch().calls().get(0));
        assertEquals(5, find(datums, "MessagesProcessed", "Outcome", "success").number("Value"));
        assertEquals(2, find(datums, "ProcessingTime", null, null).number("StatisticValues.SampleCount"));
    }

    @Test
    void publisherThreadKeepsGoingThroughAnOutageAndLogsItOnce() throws Exception {
        try (LogCapture logs = new LogCapture(CloudWatchPublisher.class)) {
            aws.cloudWatch().failing(true);
            CloudWatchPublisher p = startedPublisher(Duration.ofMillis(200), Optional.empty());
            try {
                // two whole publishes fail (each with the SDK's retries), the first one logged
                assertTrue(TestWorkers.eventually(Duration.ofSeconds(30), () -> p.failuresSinceLastSuccess() >= 2));
                aws.cloudWatch().failing(false);
                assertTrue(TestWorkers.eventually(Duration.ofSeconds(20), () -> aws.cloudWatch().calls().size() >= 2));
            } finally {
                p.close();
            }
            assertEquals(1, logs.messagesContaining("failed").size(), logs.messagesContaining("").toString());
            List<String> recovered = logs.messagesContaining("works again after");
            assertEquals(1, recovered.size(), logs.messagesContaining("").toString());
            assertFalse(recovered.get(0).contains("after 1 failure"), recovered.get(0));
        }
    }

    @Test
    void missingCredentialsMakeAPublishFailQuietly() {
        AwsClients noCredentials = new AwsClients(b -> {
            AwsClients.fixedEndpoint(aws.endpoint()).accept(b);
            b.credentialsProvider(() -> {
                throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
            });
        });
        CloudWatchPublisher p = new CloudWatchPublisher("Longshore-test", "test", Optional::empty,
                CloudWatchPublisher.sdkSink(noCredentials), Duration.ofHours(1), Clock.systemUTC());
        p.start(control);
        assertFalse(p.publishOnce());
        p.close();
        noCredentials.close();
        assertTrue(aws.cloudWatch().calls().isEmpty());
    }

    @Test
    void unreachableCloudWatchNeverDisturbsJobProcessing() throws Exception {
        AtomicInteger done = new AtomicInteger();
        JobHandler handler = JobHandler.of("sleep", (job, context) -> {
            done.incrementAndGet();
        });
        try (EmbeddedSqs sqs = EmbeddedSqs.start(); Blackhole cloudWatch = new Blackhole()) {
            String queue = sqs.createQueueWithDeadLetter("cw-down", 5, Duration.ofSeconds(30)).queueUrl();
            for (int i = 0; i < 20; i++) {
                String id = "j" + i;
                sqs.client().sendMessage(b -> b.queueUrl(queue).messageBody(SleepWorkerMain.job(id, 0)));
            }
            WorkerConfig config = TestWorkers.config(queue, Map.of());
            AwsClients down = AwsClients.at(cloudWatch.endpoint());
            CloudWatchPublisher p = new CloudWatchPublisher("Longshore-test", "test", Optional::empty,
                    CloudWatchPublisher.sdkSink(down), Duration.ofMillis(100), Clock.systemUTC());
            Metrics metrics = new Metrics();
            Worker worker = TestWorkers.create(sqs, config, new WorkerPlugin(handler, List.of(), List.of(p)), metrics);
            worker.start();
            try {
                assertTrue(TestWorkers.eventually(Duration.ofSeconds(30), () -> done.get() == 20), "jobs ran: " + done.get());
                assertTrue(TestWorkers.eventually(Duration.ofSeconds(10), () -> metrics.succeeded().value() == 20));
            } finally {
                long closing = System.nanoTime();
                worker.close();
                assertTrue((System.nanoTime() - closing) / 1_000_000 < 10_000, "a hanging publish does not hold the drain");
                down.close();
            }
            assertEquals(0, p.publishes());
        }
    }

    @Test
    void statisticSetOfOneObservationIsExact() {
        var before = dev.longshore.core.metrics.HistogramSnapshot.empty(control.metrics().processingSeconds());
        control.metrics().processingSeconds().observe(3.2);
        var set = CloudWatchDatums.processing(before,
                dev.longshore.core.metrics.HistogramSnapshot.of(control.metrics().processingSeconds()));
        assertEquals(3.2, set.minimum(), 1e-9);
        assertEquals(3.2, set.maximum(), 1e-9);
    }

    @Test
    void statisticSetBeyondTheLastBucketKeepsMaximumAboveTheMean() {
        var before = dev.longshore.core.metrics.HistogramSnapshot.empty(control.metrics().processingSeconds());
        control.metrics().processingSeconds().observe(7200);
        control.metrics().processingSeconds().observe(9000);
        var set = CloudWatchDatums.processing(before,
                dev.longshore.core.metrics.HistogramSnapshot.of(control.metrics().processingSeconds()));
        assertEquals(2, set.sampleCount());
        assertEquals(3600, set.minimum(), 1e-9);
        assertTrue(set.maximum() >= 8100, set.toString());
    }
}
