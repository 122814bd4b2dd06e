package dev.longshore.local.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * A worker's queue and its dead-letter queue, found the way the repository names them (docs/operations.md,
 * "Which queue"): an explicit URL first; then {@code <stack>-<worker>}; then the local run's
 * {@code longshore-<worker>}; then the name CloudFormation generated for the stack's queue
 * ({@code <stack>-<Worker>Queue<hash>-<suffix>}, docs/deploy.md). The dead-letter queue is always the one the
 * queue's RedrivePolicy names, as the worker itself resolves it (README "How a message is handled").
 */
public final class WorkerQueues {
    private static final Pattern TARGET_ARN = Pattern.compile("\"deadLetterTargetArn\"\\s*:\\s*\"([^\"]+)\"");

    /** A queue and its dead-letter queue, with the ARNs StartMessageMoveTask takes. */
    public record Pair(String worker, String queueUrl, String queueArn, String deadLetterUrl, String deadLetterArn) {
        public String queueName() {
            return queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
        }

        public String deadLetterName() {
            return deadLetterUrl.substring(deadLetterUrl.lastIndexOf('/') + 1);
        }

        public boolean fifo() {
            return queueUrl.endsWith(".fifo");
        }
    }

    /** No queue for the worker, or no dead-letter queue behind it: an operator's mistake, told in one line. */
    public static final class NotFound extends RuntimeException {
        public NotFound(String message) {
            super(message);
        }
    }

    private WorkerQueues() {
    }

    /** The names tried for {@code worker} when no URL is given, in order. */
    static List<String> candidateNames(String stack, String worker) {
        List<String> names = new ArrayList<>();
        names.add(stack + "-" + worker);
        names.add("longshore-" + worker);
        return names;
    }

    /** Finds the worker's queue and its dead-letter queue. */
    public static Pair find(SqsClient sqs, String stack, String worker, Optional<String> queueUrl) {
        String url = queueUrl.orElseGet(() -> lookUp(sqs, stack, worker));
        Map<QueueAttributeName, String> a;
        try {
            a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN,
                    QueueAttributeName.REDRIVE_POLICY)).attributes();
        } catch (QueueDoesNotExistException e) {
            throw new NotFound("queue " + url + " does not exist");
        }
        String policy = a.get(QueueAttributeName.REDRIVE_POLICY);
        Matcher m = policy == null ? null : TARGET_ARN.matcher(policy);
        if (m == null || !m.find()) {
            throw new NotFound("queue " + url + " has no dead-letter queue (no RedrivePolicy)");
        }
        String dlqArn = m.group(1);
        // arn:aws:sqs:region:account:name
        String[] parts = dlqArn.split(":");
        if (parts.length < 6) {
            throw new NotFound("queue " + url + ": RedrivePolicy deadLetterTargetArn is not an SQS ARN: " + dlqArn);
        }
        String dlqUrl;
        try {
            dlqUrl = sqs.getQueueUrl(b -> {
                b.queueName(parts[5]);
                if (!parts[4].isBlank() && !parts[4].equals("000000000000")) {
                    b.queueOwnerAWSAccountId(parts[4]);
                }
            }).queueUrl();
        } catch (QueueDoesNotExistException e) {
            throw new NotFound("dead-letter queue " + dlqArn + " of " + url + " does not exist");
        }
        return new Pair(worker, url, a.get(QueueAttributeName.QUEUE_ARN), dlqUrl, dlqArn);
    }

    private static String lookUp(SqsClient sqs, String stack, String worker) {
        List<String> names = candidateNames(stack, worker);
        for (String name : names) {
            try {
                return sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
            } catch (QueueDoesNotExistException e) {
                // next convention
            }
        }
        // the deployed stack lets CloudFormation name its queues: <stack>-<Worker>Queue<hash>-<suffix>
        String fleetId = Character.toUpperCase(worker.charAt(0)) + worker.substring(1).toLowerCase(Locale.ROOT);
        String prefix = stack + "-" + fleetId + "Queue";
        List<String> urls = sqs.listQueues(b -> b.queueNamePrefix(prefix)).queueUrls();
        if (urls.size() == 1) {
            return urls.get(0);
        }
        if (urls.size() > 1) {
            throw new NotFound("several queues start with " + prefix + ": " + urls + "; pass --queue-url");
        }
        names.add(prefix + "*");
        throw new NotFound("no queue for worker \"" + worker + "\" (tried " + String.join(", ", names)
                + "); pass --queue-url or --stack");
    }
}
