package dev.longshore.local.ops;

import dev.longshore.core.concurrent.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * What is in a worker's dead-letter queue, and sending it back (docs/operations.md, "scripts/redrive").
 *
 * <p>Peeking receives every message it reads: each one's ApproximateReceiveCount on the dead-letter queue goes up
 * by one, and it is hidden for {@link #PEEK_VISIBILITY} until it is released (visibility 0) right after. The
 * dead-letter queue has no RedrivePolicy of its own, so the count moves nothing; a consumer reading the
 * dead-letter queue at the same moment could miss a message for those seconds.
 */
public final class DeadLetters {
    /** Long enough to page through a sample of a thousand messages; every message is released at once after. */
    static final Duration PEEK_VISIBILITY = Duration.ofSeconds(30);
    /** The fallback mover's hold on a batch between its send and its delete. */
    static final Duration MOVE_VISIBILITY = Duration.ofSeconds(60);
    static final String ERROR_ATTRIBUTE = "longshore.error";
    static final String REASON_ATTRIBUTE = "longshore.reason";
    /** Messages moved to the dead-letter queue by maxReceiveCount carry no code: the worker never gave up on them. */
    static final String NO_CODE = "(none: moved by maxReceiveCount)";
    /** Error codes that mean "this server has no such action"; the fallback mover is used then. */
    private static final Set<String> UNSUPPORTED = Set.of("UnsupportedOperation", "InvalidAction", "UnknownOperation",
            "AWS.SimpleQueueService.UnsupportedOperation", "UnknownOperationException");

    /** One error code: how many messages carry it, and one reason as an example. */
    public record Group(String code, int count, String exampleReason) {
    }

    /** The dead-letter queue at a glance: its approximate depth, and the groups of the messages peeked. */
    public record Summary(int depth, int peeked, List<Group> groups) {
    }

    /** How the messages went back: {@code task} (StartMessageMoveTask) or {@code copy} (the fallback). */
    public record Moved(String how, long moved, long failed, String note) {
    }

    private final SqsClient sqs;
    /** Waits between batches and status polls; tests pass one that does not sleep. */
    private final Sleeper sleeper;

    public DeadLetters(SqsClient sqs, Sleeper sleeper) {
        this.sqs = sqs;
        this.sleeper = sleeper;
    }

    public int depth(String url) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    /** Reads up to {@code sample} messages, groups them by {@code longshore.error}, and releases them all. */
    public Summary summarize(String deadLetterUrl, int sample) {
        int depth = depth(deadLetterUrl);
        Map<String, Message> seen = new LinkedHashMap<>();
        try {
            while (seen.size() < sample) {
                int want = Math.min(10, sample - seen.size());
                List<Message> got = sqs.receiveMessage(b -> b.queueUrl(deadLetterUrl).maxNumberOfMessages(want)
                        .visibilityTimeout((int) PEEK_VISIBILITY.toSeconds()).waitTimeSeconds(0)
                        .messageAttributeNames("All")).messages();
                int before = seen.size();
                got.forEach(m -> seen.putIfAbsent(m.messageId(), m));
                if (got.isEmpty() || seen.size() == before) {
                    break;
                }
            }
        } finally {
            release(deadLetterUrl, new ArrayList<>(seen.values()));
        }
        Map<String, int[]> counts = new TreeMap<>();
        Map<String, String> examples = new HashMap<>();
        for (Message m : seen.values()) {
            String code = attribute(m, ERROR_ATTRIBUTE, NO_CODE);
            counts.computeIfAbsent(code, k -> new int[1])[0]++;
            examples.putIfAbsent(code, attribute(m, REASON_ATTRIBUTE, ""));
        }
        List<Group> groups = new ArrayList<>();
        counts.forEach((code, n) -> groups.add(new Group(code, n[0], examples.get(code))));
        groups.sort((a, b) -> a.count() != b.count() ? Integer.compare(b.count(), a.count()) : a.code().compareTo(b.code()));
        return new Summary(depth, seen.size(), groups);
    }

    private void release(String url, List<Message> messages) {
        for (int i = 0; i < messages.size(); i += 10) {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            for (Message m : messages.subList(i, Math.min(messages.size(), i + 10))) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(m.messageId().replaceAll("[^A-Za-z0-9_-]", "_"))
                        .receiptHandle(m.receiptHandle()).visibilityTimeout(0).build());
            }
            sqs.changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(entries));
        }
    }

    private static String attribute(Message m, String name, String fallback) {
        MessageAttributeValue v = m.messageAttributes().get(name);
        return v == null || v.stringValue() == null ? fallback : v.stringValue();
    }

    /**
     * Sends every message of the dead-letter queue back to the worker's queue: StartMessageMoveTask at
     * {@code ratePerSecond}, waited for when {@code wait}; where the server has no such action, the fallback mover.
     */
    public Moved redrive(WorkerQueues.Pair q, int ratePerSecond, boolean wait) throws InterruptedException {
        String handle;
        try {
            handle = sqs.startMessageMoveTask(b -> b.sourceArn(q.deadLetterArn()).destinationArn(q.queueArn())
                    .maxNumberOfMessagesPerSecond(ratePerSecond)).taskHandle();
        } catch (AwsServiceException e) {
            if (!unsupported(e)) {
                throw e;
            }
            String code = e.awsErrorDetails() == null ? String.valueOf(e.statusCode()) : e.awsErrorDetails().errorCode();
            return copy(q, ratePerSecond, "this SQS endpoint has no StartMessageMoveTask (" + code
                    + "): moved by receive, send to the queue, delete from the dead-letter queue");
        }
        if (!wait) {
            return new Moved("task", -1, 0, "task " + handle + " started; not waiting (--no-wait)");
        }
        while (true) {
            List<ListMessageMoveTasksResultEntry> tasks = sqs.listMessageMoveTasks(b -> b.sourceArn(q.deadLetterArn())
                    .maxResults(10)).results();
            ListMessageMoveTasksResultEntry task = tasks.stream()
                    .filter(t -> handle.equals(t.taskHandle()) || "RUNNING".equals(t.status())).findFirst()
                    .orElse(tasks.isEmpty() ? null : tasks.get(0));
            String status = task == null ? "UNKNOWN" : task.status();
            if (task == null || !"RUNNING".equals(status)) {
                long moved = task == null || task.approximateNumberOfMessagesMoved() == null ? -1
                        : task.approximateNumberOfMessagesMoved();
                String failure = task == null || task.failureReason() == null ? "" : ": " + task.failureReason();
                return new Moved("task", moved, "COMPLETED".equals(status) ? 0 : 1, "task " + status.toLowerCase(Locale.ROOT)
                        + failure);
            }
            sleeper.sleep(Duration.ofSeconds(1));
        }
    }

    static boolean unsupported(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        if (code != null && UNSUPPORTED.contains(code)) {
            return true;
        }
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return (e.statusCode() == 400 || e.statusCode() == 404 || e.statusCode() == 501)
                && (message.contains("unknown action") || message.contains("not supported")
                || message.contains("unsupported") || message.contains("invalid action"));
    }

    /**
     * The fallback: receive from the dead-letter queue, send to the queue (body and message attributes as they
     * were), delete from the dead-letter queue, at most {@code ratePerSecond}. A crash between send and delete
     * leaves a copy in both queues; the worker tolerates a duplicate delivery (README "How a message is handled").
     */
    Moved copy(WorkerQueues.Pair q, int ratePerSecond, String note) throws InterruptedException {
        long moved = 0;
        long failed = 0;
        int emptyReceives = 0;
        while (emptyReceives < 2) {
            long started = System.nanoTime();
            int batch = Math.max(1, Math.min(10, ratePerSecond));
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(q.deadLetterUrl()).maxNumberOfMessages(batch)
                    .visibilityTimeout((int) MOVE_VISIBILITY.toSeconds()).waitTimeSeconds(1).messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID)).messages();
            if (got.isEmpty()) {
                emptyReceives++;
                continue;
            }
            emptyReceives = 0;
            List<SendMessageBatchRequestEntry> sends = new ArrayList<>();
            Map<String, Message> byId = new HashMap<>();
            for (int i = 0; i < got.size(); i++) {
                Message m = got.get(i);
                String id = "m" + i;
                byId.put(id, m);
                SendMessageBatchRequestEntry.Builder e = SendMessageBatchRequestEntry.builder().id(id)
                        .messageBody(m.body()).messageAttributes(m.messageAttributes());
                if (q.fifo()) {
                    e.messageGroupId(m.attributes().getOrDefault(MessageSystemAttributeName.MESSAGE_GROUP_ID, "redrive"))
                            .messageDeduplicationId(m.messageId());
                }
                sends.add(e.build());
            }
            var result = sqs.sendMessageBatch(b -> b.queueUrl(q.queueUrl()).entries(sends));
            List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
            result.successful().forEach(s -> deletes.add(DeleteMessageBatchRequestEntry.builder().id(s.id())
                    .receiptHandle(byId.get(s.id()).receiptHandle()).build()));
            failed += result.failed().size();
            if (!deletes.isEmpty()) {
                var deleted = sqs.deleteMessageBatch(b -> b.queueUrl(q.deadLetterUrl()).entries(deletes));
                moved += deleted.successful().size();
            }
            // at most ratePerSecond: a batch of n takes n / rate seconds
            long spent = (System.nanoTime() - started) / 1_000_000;
            long due = got.size() * 1000L / ratePerSecond;
            if (due > spent) {
                sleeper.sleep(Duration.ofMillis(due - spent));
            }
        }
        return new Moved("copy", moved, failed, note);
    }
}
