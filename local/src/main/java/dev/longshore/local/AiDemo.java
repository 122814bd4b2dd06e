package dev.longshore.local;

import dev.longshore.testkit.QueuePair;
import dev.longshore.testkit.WebhookReceiver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * worker-ai in the local run, CPU flavour (no GPU here): the example tasks compute a checksum of a file, sleep,
 * and fail for good; each job runs in its own directory under target/local-run/ai/jobs, and a successful job's
 * outputs, logs and manifest are uploaded to the local run's S3 (docs/ai.md: Outputs on S3).
 */
final class AiDemo implements Demo {
    /** WORKER_AI_OUTPUT_PREFIX's key prefix, under {@link LocalS3#BUCKET}. */
    static final String OUTPUT = "ai/";

    private final Path root;
    private final Path dir;
    private final LocalS3 s3;
    private final List<String> succeeding = new CopyOnWriteArrayList<>();

    AiDemo(Path root, LocalS3 s3) {
        this.root = root;
        this.s3 = s3;
        this.dir = root.resolve("target/local-run/ai");
    }

    @Override
    public String name() {
        return "ai";
    }

    @Override
    public Map<String, String> environment(WebhookReceiver receiver) {
        Map<String, String> env = new HashMap<>(s3.workerEnvironment("WORKER_AI_S3"));
        env.putAll(Map.of("WORKER_GPU_REQUIRED", "false",
                "WORKER_AI_TASKS", root.resolve("worker-ai/examples/local-tasks.json").toString(),
                "WORKER_JOBS_DIR", dir.resolve("jobs").toString(),
                "WORKER_CONCURRENCY", "2",
                // The demo's file:// input lives here; unset, file:// inputs are refused (README: Security).
                "WORKER_AI_FILE_ROOTS", dir.toString(),
                "WORKER_AI_OUTPUT_PREFIX", LocalS3.uri(OUTPUT)));
        return env;
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
        succeeding.addAll(List.of("checksum-" + stamp, "nap-" + stamp));
        return jobs.length;
    }

    @Override
    public Progress progress(SqsClient sqs, QueuePair queue, Map<String, Double> m) {
        long ok = MetricsScrape.value(m, "longshore_messages_processed_total{outcome=\"success\"}");
        long dead = MetricsScrape.value(m, "longshore_messages_processed_total{outcome=\"dead\"}");
        return new Progress(ok >= 2 && dead >= 1, String.format("tasks done %d/2, dead-lettered %d/1, outputs in %s",
                ok, dead, LocalS3.uri(OUTPUT)));
    }

    @Override
    public List<String> storageSummary() {
        return succeeding.stream().map(job -> s3.summary(OUTPUT + job + "/", "manifest.json")).toList();
    }
}
