package dev.longshore.local;

import dev.longshore.testkit.QueuePair;
import dev.longshore.testkit.WebhookReceiver;

import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * worker-messaging in the local run: webhooks to the local receiver (two of them answer 503 first, to show a
 * retry), and one webhook aimed at the instance-metadata address, which must end in the dead-letter queue.
 */
final class MessagingDemo implements Demo {
    private final int jobs;

    MessagingDemo(int jobs) {
        this.jobs = jobs;
    }

    @Override
    public String name() {
        return "messaging";
    }

    @Override
    public Map<String, String> environment(WebhookReceiver receiver) {
        // The receiver listens on loopback, which webhooks may reach only when listed (README: Security).
        return Map.of("WORKER_WEBHOOK_TIMEOUT", "5s", "WORKER_PRIVATE_DESTINATIONS", "127.0.0.1");
    }

    @Override
    public int send(SqsClient sqs, String queueUrl, WebhookReceiver receiver) {
        receiver.failNext("/demo/hook-3", 1);
        receiver.failNext("/demo/hook-11", 1);
        for (int i = 0; i < jobs; i++) {
            String body = "{\"jobId\":\"hook-" + i + "\",\"type\":\"notify.webhook\",\"payload\":{\"url\":\""
                    + receiver.url("/demo/hook-" + i) + "\",\"body\":{\"order\":" + i + ",\"status\":\"paid\"}}}";
            sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
        }
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("{\"jobId\":\"ssrf-probe\",\"type\":\"notify.webhook\","
                + "\"payload\":{\"url\":\"http://169.254.169.254/latest/meta-data/iam/security-credentials/\"}}"));
        return jobs + 1;
    }

    @Override
    public Progress progress(SqsClient sqs, QueuePair queue, Map<String, Double> m) {
        long ok = MetricsScrape.value(m, "longshore_messages_processed_total{outcome=\"success\"}");
        long retried = MetricsScrape.value(m, "longshore_messages_processed_total{outcome=\"retry\"}");
        long dead = MetricsScrape.value(m, "longshore_messages_processed_total{outcome=\"dead\"}");
        long inflight = MetricsScrape.value(m, "longshore_inflight_messages");
        String summary = String.format("delivered %d/%d, in flight %d, retried %d, dead-lettered %d", ok, jobs, inflight, retried, dead);
        return new Progress(ok >= jobs && dead >= 1 && inflight == 0, summary);
    }
}
