package dev.longshore.local.autoscale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshore.core.concurrent.BackgroundThread;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Sends a {@link Workload} to the queue on its schedule: each job a {@code notify.webhook} to the {@link JobSink},
 * which holds it for the job's processing time. Jobs due together go out in batches of ten. {@link #sendDue()}
 * sends what is due now; {@link #start()} sends the rest on a thread of its own.
 */
public final class BurstGenerator implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 10;

    private final SqsClient sqs;
    private final String queueUrl;
    private final JobSink sink;
    private final List<Workload.Job> jobs;
    private final FleetClock clock;
    private final Map<String, Double> sentAt = new ConcurrentHashMap<>();
    private double start = Double.NaN;
    private int next;
    private final BackgroundThread thread = new BackgroundThread();
    private volatile RuntimeException failure;

    public BurstGenerator(SqsClient sqs, String queueUrl, JobSink sink, Workload workload, FleetClock clock) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.sink = sink;
        this.jobs = workload.jobs();
        this.clock = clock;
    }

    /** Starts the schedule now and sends every job due at its start; returns the start time. */
    public synchronized double begin() {
        start = clock.seconds();
        sendDue();
        return start;
    }

    /** Sends the jobs that are due; returns how many remain. */
    public synchronized int sendDue() {
        double now = clock.seconds() - start;
        List<Workload.Job> due = new ArrayList<>();
        while (next < jobs.size() && jobs.get(next).at() <= now) {
            due.add(jobs.get(next++));
            if (due.size() == BATCH) {
                send(due);
                due.clear();
            }
        }
        if (!due.isEmpty()) {
            send(due);
        }
        return jobs.size() - next;
    }

    private void send(List<Workload.Job> batch) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Workload.Job job = batch.get(i);
            ObjectNode body = JSON.createObjectNode();
            body.put("jobId", job.id());
            body.put("type", "notify.webhook");
            ObjectNode payload = body.putObject("payload");
            payload.put("url", sink.url(job.id(), job.processing()));
            payload.putObject("body").put("jobId", job.id());
            entries.add(SendMessageBatchRequestEntry.builder().id(String.valueOf(i)).messageBody(body.toString()).build());
        }
        double at = clock.seconds() - start;
        SendMessageBatchResponse r = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        if (!r.failed().isEmpty()) {
            throw new IllegalStateException("SQS refused " + r.failed().size() + " of " + batch.size() + " messages: "
                    + r.failed().get(0).message());
        }
        for (Workload.Job job : batch) {
            sentAt.put(job.id(), at);
        }
    }

    /** Sends the remaining jobs on the thread {@code local-fleet-burst}, each when it is due, until closed. */
    public void start() {
        thread.start("local-fleet-burst", this::sendOnSchedule);
    }

    private void sendOnSchedule() {
        try {
            while (sendDue() > 0) {
                double wait;
                synchronized (this) {
                    wait = jobs.get(next).at() - (clock.seconds() - start);
                }
                if (wait > 0 && !thread.pause(Math.max(1, Math.round(wait * 1000)))) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** Send times (seconds since the schedule began) by job id. */
    public Map<String, Double> sentAt() {
        return Map.copyOf(sentAt);
    }

    public synchronized boolean allSent() {
        return next == jobs.size();
    }

    /** Why sending stopped, when it failed. */
    public RuntimeException failure() {
        return failure;
    }

    /**
     * Stops sending: a wait for the next job ends at once; a batch being sent is abandoned (interrupted) and gets
     * {@link BackgroundThread#DEFAULT_CLOSE_WAIT} to end.
     */
    @Override
    public void close() {
        thread.interruptAndClose(BackgroundThread.DEFAULT_CLOSE_WAIT);
    }
}
