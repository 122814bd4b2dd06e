package dev.longshore.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** The orchestrator's own SQS calls: queues per run, filling them, watching them drain. */
final class QueueOps implements AutoCloseable {
    private final SqsClient sqs;
    private final AtomicInteger counter = new AtomicInteger();

    QueueOps(URI endpoint) {
        this.sqs = SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    String newQueue(String label, int visibilitySeconds) {
        String name = "bench-" + label + "-" + counter.incrementAndGet();
        return sqs.createQueue(b -> b.queueName(name).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT,
                String.valueOf(visibilitySeconds)))).queueUrl();
    }

    void delete(String queueUrl) {
        try {
            sqs.deleteQueue(b -> b.queueUrl(queueUrl));
        } catch (RuntimeException ignored) {
            // best effort between runs
        }
    }

    void fill(String queueUrl, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int start = 0; start < n; start += 10) {
                int from = start;
                futures.add(pool.submit(() -> {
                    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                    for (int i = from; i < Math.min(n, from + 10); i++) {
                        entries.add(SendMessageBatchRequestEntry.builder().id("m" + i)
                                .messageBody("{\"jobId\":\"job-" + i + "\",\"type\":\"bench.job\",\"payload\":{}}").build());
                    }
                    sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** [visible, in flight]. */
    int[] depth(String queueUrl) {
        Map<String, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings(
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
        return new int[]{Integer.parseInt(a.get("ApproximateNumberOfMessages")),
                Integer.parseInt(a.get("ApproximateNumberOfMessagesNotVisible"))};
    }

    @Override
    public void close() {
        sqs.close();
    }
}
