package dev.longshore.testkit.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.StatisticSet;

/** The fake refuses the PutMetricData calls CloudWatch refuses, with CloudWatch's codes, and records none of them. */
class FakeCloudWatchTest extends FakeAwsClientTest<CloudWatchClient> {
    @Override
    protected CloudWatchClient newClient() {
        return on(CloudWatchClient.builder(), 3);
    }

    private static MetricDatum count(String name, double value) {
        return MetricDatum.builder().metricName(name).value(value).unit(StandardUnit.COUNT).build();
    }

    private void assertRefused(String code, String inMessage, String namespace, MetricDatum... datums) {
        CloudWatchException e = assertThrows(CloudWatchException.class, () -> client.putMetricData(b -> {
            if (namespace != null) {
                b.namespace(namespace);
            }
            b.metricData(datums);
        }));
        assertEquals(400, e.statusCode());
        assertEquals(code, e.awsErrorDetails().errorCode(), e.getMessage());
        assertTrue(e.awsErrorDetails().errorMessage().contains(inMessage), e.awsErrorDetails().errorMessage());
    }

    @Test
    void namespaceIsRequiredCustomAndOfCloudWatchCharacters() {
        MetricDatum ok = count("JobsSucceeded", 1);
        assertRefused("MissingParameter", "Namespace is required", null, ok);
        assertRefused("InvalidParameterValue", "AWS/", "AWS/SQS", ok);
        assertRefused("InvalidParameterValue", "Namespace", ":Longshore", ok);
        assertRefused("InvalidParameterValue", "Namespace", "Longshore$prod", ok);
        assertRefused("InvalidParameterValue", "Namespace", "L".repeat(256), ok);
        assertEquals(5, aws.cloudWatch().rejectedCalls().size());
        assertTrue(aws.cloudWatch().calls().isEmpty(), "a refused call is not recorded as published");

        client.putMetricData(b -> b.namespace("Longshore/prod #1:video_x-y.z").metricData(ok));
        assertEquals(1, aws.cloudWatch().calls().size());
    }

    @Test
    void listenersSeeEachAcceptedCallAsItArrivesAndNoRefusedOne() {
        List<AwsCall> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        aws.cloudWatch().onCall(seen::add);
        assertRefused("InvalidParameterValue", "AWS/", "AWS/SQS", count("A", 1));
        client.putMetricData(b -> b.namespace("Longshore").metricData(count("A", 1), count("B", 2)));
        assertEquals(1, seen.size(), "the refused call reached no listener");
        assertEquals("Longshore", seen.get(0).param("Namespace"));
        assertEquals(List.of("A", "B"), FakeCloudWatch.datums(seen.get(0)).stream().map(FakeCloudWatch.Datum::name).toList());
    }

    @Test
    void datumNeedsANameAValueAndAStandardUnit() {
        assertRefused("MissingParameter", "MetricData.member.2.MetricName", "Longshore",
                count("A", 1), MetricDatum.builder().value(1.0).build());
        assertRefused("InvalidParameterValue", "MetricData.member.1.Unit must be a value in the set", "Longshore",
                MetricDatum.builder().metricName("A").value(1.0).unit("Jobs").build());
        assertRefused("MissingParameter", "MetricData.member.1.Value", "Longshore",
                MetricDatum.builder().metricName("A").build());
        assertRefused("InvalidParameterCombination", "mutually exclusive", "Longshore",
                MetricDatum.builder().metricName("A").value(1.0).statisticValues(s -> s.sampleCount(1.0).sum(1.0)
                        .minimum(1.0).maximum(1.0)).build());
        assertRefused("MissingParameter", "StatisticValues.Maximum", "Longshore",
                MetricDatum.builder().metricName("A").statisticValues(StatisticSet.builder().sampleCount(1.0).sum(1.0)
                        .minimum(1.0).build()).build());
        assertRefused("InvalidParameterValue", "SampleCount", "Longshore",
                MetricDatum.builder().metricName("A").statisticValues(s -> s.sampleCount(0.0).sum(0.0).minimum(0.0)
                        .maximum(0.0)).build());
        assertRefused("InvalidParameterValue", "Value", "Longshore", count("A", Double.NaN));
        assertRefused("InvalidParameterValue", "Dimensions", "Longshore",
                MetricDatum.builder().metricName("A").value(1.0).dimensions(d -> d.name("WorkerName").value("")).build());
        assertTrue(aws.cloudWatch().calls().isEmpty());
    }

    @Test
    void aThousandDatumsPassAndOneMoreIsRefused() {
        List<MetricDatum> datums = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            datums.add(count("M" + i, i));
        }
        client.putMetricData(b -> b.namespace("Longshore").metricData(datums));
        assertEquals(1000, FakeCloudWatch.datums(aws.cloudWatch().calls().get(0)).size(), "the SDK gzips this body");
        datums.add(count("M1000", 1));
        assertRefused("InvalidParameterValue", "greater than 1000", "Longshore", datums.toArray(MetricDatum[]::new));
    }

    @Test
    void injectedThrottlingIsRetriedAndInjectedFailuresAreCounted() {
        Consumer<software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest.Builder> put =
                b -> b.namespace("Longshore").metricData(count("A", 1));
        aws.cloudWatch().failNext("PutMetricData", 1, 400, "Throttling");
        client.putMetricData(put);
        assertEquals(1, aws.cloudWatch().calls().size());
        assertEquals(1, aws.cloudWatch().failedCalls());

        aws.cloudWatch().failNext("*", 3, 500, "InternalServiceError");
        CloudWatchException e = assertThrows(CloudWatchException.class, () -> client.putMetricData(put));
        assertEquals(500, e.statusCode());
        assertEquals("InternalServiceError", e.awsErrorDetails().errorCode());
        assertEquals(4, aws.cloudWatch().failedCalls(), "the SDK's three attempts all failed");
    }

    @Test
    void anOutageFailsEveryAttemptUntilItEnds() {
        Consumer<software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest.Builder> put =
                b -> b.namespace("Longshore").metricData(count("A", 1));
        aws.cloudWatch().failing(true);
        for (int call = 0; call < 2; call++) {
            CloudWatchException e = assertThrows(CloudWatchException.class, () -> client.putMetricData(put));
            assertEquals("InternalServiceError", e.awsErrorDetails().errorCode());
        }
        assertEquals(6, aws.cloudWatch().failedCalls(), "two calls of three attempts each");
        assertTrue(aws.cloudWatch().calls().isEmpty());

        aws.cloudWatch().failing(false);
        client.putMetricData(put);
        assertEquals(1, aws.cloudWatch().calls().size());
        assertEquals(6, aws.cloudWatch().failedCalls());
    }
}
