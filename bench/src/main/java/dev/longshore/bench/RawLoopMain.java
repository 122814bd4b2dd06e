package dev.longshore.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The no-framework baseline: ceil(C/10) threads, each receiving up to 10 messages (together C), running them on a pool of C
 * threads, then deleting the batch. No visibility extension, no drain: what a hand-written loop usually is.
 * SIGTERM ends it at once (default JVM behaviour).
 */
public final class RawLoopMain {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RawLoopMain() {
    }

    public static void main(String[] args) {
        String queueUrl = System.getenv("WORKER_QUEUE_URL");
        int concurrency = Integer.parseInt(System.getenv().getOrDefault("WORKER_CONCURRENCY", "4"));
        long sleepMs = Long.parseLong(System.getenv().getOrDefault("BENCH_SLEEP_MS", "0"));
        Recorder recorder = Recorder.fromEnv(System.getenv().getOrDefault("BENCH_RECORD", ""));
        SqsClient sqs = SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        int loops = (concurrency + 9) / 10;
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        for (int i = 0; i < loops; i++) {
            // Loops of 10, the last one smaller, so exactly C messages can be in flight.
            int batch = Math.min(10, concurrency - 10 * i);
            Thread.ofPlatform().name("raw-loop-" + i).start(() -> {
                while (true) {
                    List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(batch)
                            .waitTimeSeconds(20)).messages();
                    if (messages.isEmpty()) {
                        continue;
                    }
                    List<Callable<Object>> work = new ArrayList<>();
                    for (Message m : messages) {
                        work.add(() -> {
                            recorder.record(JSON.readTree(m.body()).path("jobId").asText());
                            if (sleepMs > 0) {
                                Thread.sleep(sleepMs);
                            }
                            return null;
                        });
                    }
                    try {
                        pool.invokeAll(work);
                    } catch (InterruptedException e) {
                        return;
                    }
                    List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
                    for (int k = 0; k < messages.size(); k++) {
                        entries.add(DeleteMessageBatchRequestEntry.builder().id("e" + k)
                                .receiptHandle(messages.get(k).receiptHandle()).build());
                    }
                    sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
                }
            });
        }
    }
}
