package dev.longshore.local;

import dev.longshore.testkit.QueuePair;
import dev.longshore.testkit.WebhookReceiver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * worker-ai in the local run, CPU flavour (no GPU here): the example tasks compute a checksum of a file, sleep,
 * and fail for good; each job runs in its own directory under target/local-run/ai-jobs.
 */
final class AiDemo implements Demo {
    private final Path root;
    private final Path dir;

    AiDemo(Path root) {
        this.root = root;
        this.dir = root.resolve("target/local-run/ai");
    }

    @Override
    public String name() {
        return "ai";
    }

    @Override
    public Path jar() {
        return root.resolve("worker-ai/target/worker-ai.jar");
    }

    @Override
    public Map<String, String> environment(WebhookReceiver receiver) {
        return Map.of("WORKER_GPU_REQUIRED", "false",
                "WORKER_AI_TASKS", root.resolve("worker-ai/examples/local-tasks.json").toString(),
                "WORKER_JOBS_DIR", dir.resolve("jobs").toString(),
                "WORKER_CONCURRENCY", "2",
                // The demo's file:// input lives here; unset, file:// inputs are refused (README: Security).
                "WORKER_AI_FILE_ROOTS", dir.toString());
    }

    @Override
    public int send(SqsClient sqs, String queueUrl, WebhookReceiver receiver) {
        Path input = dir.resolve("input.txt");
        try {
            Files.createDirectories(dir);
            Files.writeString(input, "hello from the Longshore local run\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String stamp = Long.toString(System.currentTimeMillis(), 36);
        String[] jobs = {
            "{\"jobId\":\"checksum-" + stamp + "\",\"type\":\"ai.run\",\"payload\":{\"task\":\"sha256\","
                    + "\"inputs\":[{\"uri\":\"" + input.toUri() + "\",\"name\":\"data\"}]}}",
            "{\"jobId\":\"nap-" + stamp + "\",\"type\":\"ai.run\",\"payload\":{\"task\":\"sleep\",\"args\":{\"seconds\":2}}}",
            "{\"jobId\":\"broken-" + stamp + "\",\"type\":\"ai.run\",\"payload\":{\"task\":\"fail\"}}",
        };
        for (String job : jobs) {
            sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(job));
        }
        return jobs.length;
    }

    @Override
    public Progress progress(SqsClient sqs, QueuePair queue, Map<String, Double> m) {
        long ok = MetricsScrape.value(m, "longshore_messages_processed_total{outcome=\"success\"}");
        long dead = MetricsScrape.value(m, "longshore_messages_processed_total{outcome=\"dead\"}");
        return new Progress(ok >= 2 && dead >= 1, String.format("tasks done %d/2, dead-lettered %d/1, job dirs in %s",
                ok, dead, root.relativize(dir.resolve("jobs"))));
    }
}
