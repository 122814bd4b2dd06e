package dev.longshore.core.queue;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Sends "job ended" messages to a result queue (WORKER_RESULT_QUEUE_URL) through the worker's own
 * {@link QueueClient}: same endpoint, region, credentials and HTTP client as the work queue, no second SDK client.
 * On a FIFO queue (URL ending in {@code .fifo}) the job id is the group and, with the status, the deduplication
 * id, so a result re-sent after a redelivery is dropped by SQS within its five-minute window.
 */
public final class ResultPublisher {
    /**
     * The largest body sent: 256 KiB, the SQS limit for years and still the MaximumMessageSize of queues created
     * before the limit rose to 1 MiB; a body that fits here fits every queue.
     */
    public static final int MAX_BODY_BYTES = 256 * 1024;

    private final QueueClient queues;
    private final String queueUrl;
    private final boolean fifo;

    /** @param queues the worker's client; not closed here (the worker owns it) */
    public ResultPublisher(QueueClient queues, String queueUrl) {
        this.queues = Objects.requireNonNull(queues, "queues");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
        this.fifo = queueUrl.endsWith(".fifo");
    }

    public String queueUrl() {
        return queueUrl;
    }

    /** Whether {@code body} is small enough to be sent. */
    public static boolean fits(String body) {
        return bytes(body) <= MAX_BODY_BYTES;
    }

    static int bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * @param status e.g. {@code SUCCESS}; part of the FIFO deduplication id, so a failure and a later success of
     *               one job are both delivered
     * @throws IllegalArgumentException when the body is larger than {@link #MAX_BODY_BYTES} (the caller trims it)
     * @throws QueueUnavailableException when SQS cannot be reached or refuses the message
     */
    public void publish(String jobId, String status, String body) {
        int size = bytes(body);
        if (size > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("result of job " + jobId + " is " + size + " bytes, more than the "
                    + MAX_BODY_BYTES + " a queue message may hold");
        }
        Optional<String> group = fifo ? Optional.of(jobId) : Optional.empty();
        Optional<String> dedup = fifo ? Optional.of(jobId + "-" + status.toLowerCase(Locale.ROOT)) : Optional.empty();
        queues.send(queueUrl, body, Map.of(), group, dedup);
    }
}
