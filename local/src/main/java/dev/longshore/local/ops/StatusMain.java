package dev.longshore.local.ops;

import dev.longshore.local.autoscale.CommandLine;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code scripts/status}: each worker's queue (visible, in flight, delayed) and dead-letter depth and, where AWS
 * Auto Scaling answers, its group: desired/min/max and each instance's lifecycle state (docs/operations.md,
 * "scripts/status").
 */
public final class StatusMain {
    static final String USAGE = """
            usage: scripts/status [WORKER...] [options]
              --stack NAME           the deployed stack (queues <stack>-WORKER or its generated names, groups <stack>-WORKER)
              --queue-url URL        one worker's queue (with a single WORKER)
              --no-fleet             only the queues
            defaults: workers messaging video ai; --stack Longshore
            """;
    static final List<String> WORKERS = List.of("messaging", "video", "ai");
    private static final Set<String> VALUED = Set.of("stack", "queue-url");
    private static final Set<String> FLAGS = Set.of("no-fleet");

    /** Where the fleet part comes from; absent against a local SQS. */
    interface Groups {
        List<AutoScalingGroup> describe(List<String> names);
    }

    private StatusMain() {
    }

    public static void main(String[] args) {
        OpsCommand.main("status", USAGE, args, sqs -> Aws.localSqs(System.getenv())
                ? run(args, sqs, null, System.out, System.err)
                : runWithAutoScaling(args, sqs));
    }

    private static int runWithAutoScaling(String[] args, SqsClient sqs) {
        try (AutoScalingClient asg = Aws.autoScaling()) {
            Groups groups = names -> asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames(names)).autoScalingGroups();
            return run(args, sqs, groups, System.out, System.err);
        }
    }

    /** 0 printed, 1 SQS failed, 2 a mistake in the command line. {@code groups} null: no Auto Scaling here. */
    static int run(String[] args, SqsClient sqs, Groups groups, PrintStream out, PrintStream err) {
        List<String> workers = new ArrayList<>();
        int i = 0;
        while (i < args.length && !args[i].startsWith("--")) {
            workers.add(args[i++]);
        }
        CommandLine c;
        try {
            for (String w : workers) {
                if (!w.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
                    throw new CommandLine.UsageException("worker \"" + w + "\": expected a name like messaging");
                }
            }
            c = CommandLine.parse(java.util.Arrays.copyOfRange(args, i, args.length), VALUED, FLAGS);
            if (c.string("queue-url").isPresent() && workers.size() != 1) {
                throw new CommandLine.UsageException("--queue-url names one queue: give exactly one WORKER");
            }
        } catch (CommandLine.UsageException e) {
            err.println("status: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        boolean named = !workers.isEmpty();
        if (!named) {
            workers.addAll(WORKERS);
        }
        String stack = c.string("stack", Aws.STACK_DEFAULT);
        out.printf(Locale.ROOT, "%-10s %-40s %8s %9s %8s %6s%n", "worker", "queue", "visible", "in flight", "delayed",
                "dead");
        int found = 0;
        for (String w : workers) {
            WorkerQueues.Pair q;
            try {
                q = WorkerQueues.find(sqs, stack, w, c.string("queue-url"));
            } catch (WorkerQueues.NotFound e) {
                out.printf(Locale.ROOT, "%-10s %s%n", w, named ? e.getMessage() : "no queue");
                continue;
            }
            found++;
            Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(q.queueUrl()).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
            int dead = new DeadLetters(sqs, d -> { }).depth(q.deadLetterUrl());
            out.printf(Locale.ROOT, "%-10s %-40s %8s %9s %8s %6d%s%n", w, q.queueName(),
                    a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
                    a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
                    a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "-"), dead,
                    dead > 0 ? "  (scripts/redrive " + w + " --show)" : "");
        }
        if (found == 0 && !named) {
            out.println("no worker queue found (tried " + String.join(", ", WORKERS) + "); pass WORKER --queue-url URL");
        }
        out.println();
        if (c.flag("no-fleet")) {
            return 0;
        }
        if (groups == null) {
            out.println("fleet: not shown; the queues are a local SQS (AWS_ENDPOINT_URL_SQS), and the fleet part needs"
                    + " AWS Auto Scaling");
            return 0;
        }
        List<String> names = workers.stream().map(w -> stack + "-" + w).toList();
        List<AutoScalingGroup> found2;
        try {
            found2 = groups.describe(names);
        } catch (SdkException e) {
            out.println("fleet: AWS Auto Scaling not reachable (" + firstLine(e.getMessage()) + ")");
            return 0;
        }
        if (found2.isEmpty()) {
            out.println("fleet: no group named " + String.join(", ", names) + " (--stack?)");
            return 0;
        }
        for (AutoScalingGroup g : found2) {
            long inService = g.instances().stream().filter(x -> "InService".equals(x.lifecycleStateAsString())).count();
            out.printf(Locale.ROOT, "group %s: desired %d (min %d, max %d), %d InService of %d%n",
                    g.autoScalingGroupName(), g.desiredCapacity(), g.minSize(), g.maxSize(), inService,
                    g.instances().size());
            for (Instance x : g.instances()) {
                out.printf(Locale.ROOT, "  %-20s %-22s %-10s %s%s%n", x.instanceId(), x.lifecycleStateAsString(),
                        x.healthStatus(), x.availabilityZone(),
                        Boolean.TRUE.equals(x.protectedFromScaleIn()) ? "  protected from scale-in" : "");
            }
        }
        return 0;
    }

    private static String firstLine(String s) {
        String t = String.valueOf(s);
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
