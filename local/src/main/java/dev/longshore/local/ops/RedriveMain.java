package dev.longshore.local.ops;

import dev.longshore.core.concurrent.Sleeper;
import dev.longshore.local.autoscale.CommandLine;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code scripts/redrive WORKER}: shows what is in the worker's dead-letter queue, grouped by
 * {@code longshore.error}, and sends it back to the worker's queue (docs/operations.md, "scripts/redrive").
 */
public final class RedriveMain {
    static final String USAGE = """
            usage: scripts/redrive WORKER [options]
              --dry-run, --show      only show what is in the dead-letter queue (count and an example reason per error code)
              --rate N               messages per second to move (MaxNumberOfMessagesPerSecond, 1-500)
              --sample N             messages to read for the summary
              --queue-url URL        the worker's queue (its dead-letter queue comes from its RedrivePolicy)
              --stack NAME           the deployed stack whose queue to use
              --no-wait              start the move task and return
            defaults: --rate 50 --sample 1000 --stack Longshore; queue: <stack>-WORKER, then longshore-WORKER (the local
                      run), then the stack's generated name
            """;
    private static final Set<String> VALUED = Set.of("rate", "sample", "queue-url", "stack");
    private static final Set<String> FLAGS = Set.of("dry-run", "show", "no-wait");
    static final int DEFAULT_RATE = 50;
    static final int DEFAULT_SAMPLE = 1000;

    private RedriveMain() {
    }

    public static void main(String[] args) {
        OpsCommand.main("redrive", USAGE, args, sqs -> run(args, sqs, System.out, System.err));
    }

    /** 0 done, 1 SQS failed or some messages did not move, 2 a mistake in the command line. */
    static int run(String[] args, SqsClient sqs, PrintStream out, PrintStream err) {
        String worker;
        CommandLine c;
        try {
            if (args.length == 0 || args[0].startsWith("--")) {
                throw new CommandLine.UsageException("which worker? (e.g. scripts/redrive messaging)");
            }
            worker = args[0];
            if (!worker.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
                throw new CommandLine.UsageException("worker \"" + worker + "\": expected a name like messaging");
            }
            c = CommandLine.parse(Arrays.copyOfRange(args, 1, args.length), VALUED, FLAGS);
            c.integer("rate", DEFAULT_RATE, 1, 500);
            c.integer("sample", DEFAULT_SAMPLE, 1, 100_000);
        } catch (CommandLine.UsageException e) {
            err.println("redrive: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        int rate = c.integer("rate", DEFAULT_RATE, 1, 500);
        int sample = c.integer("sample", DEFAULT_SAMPLE, 1, 100_000);
        WorkerQueues.Pair q;
        try {
            q = WorkerQueues.find(sqs, c.string("stack", Aws.STACK_DEFAULT), worker, c.string("queue-url"));
        } catch (WorkerQueues.NotFound e) {
            err.println("redrive: " + e.getMessage());
            return 2;
        }
        DeadLetters dl = new DeadLetters(sqs, Sleeper.SYSTEM);
        DeadLetters.Summary s = dl.summarize(q.deadLetterUrl(), sample);
        out.printf(Locale.ROOT, "%s: dead-letter queue %s holds %d message(s) for queue %s%n", worker,
                q.deadLetterName(), s.depth(), q.queueName());
        print(out, s);
        boolean dryRun = c.flag("dry-run") || c.flag("show");
        if (dryRun || s.depth() == 0 && s.peeked() == 0) {
            out.println(dryRun ? "dry run: nothing moved" : "nothing to move");
            return 0;
        }
        out.printf(Locale.ROOT, "moving them back to %s at up to %d/s%n", q.queueName(), rate);
        try {
            DeadLetters.Moved m = dl.redrive(q, rate, !c.flag("no-wait"));
            out.printf(Locale.ROOT, "%s%n", m.note());
            if (m.moved() >= 0) {
                out.printf(Locale.ROOT, "moved %d message(s)%s; dead-letter queue now %d%n", m.moved(),
                        m.failed() > 0 ? ", " + m.failed() + " failed" : "", dl.depth(q.deadLetterUrl()));
            }
            return m.failed() > 0 ? 1 : 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("redrive: interrupted; what moved so far stays moved");
            return 1;
        }
    }

    static void print(PrintStream out, DeadLetters.Summary s) {
        if (s.peeked() == 0) {
            return;
        }
        out.printf(Locale.ROOT, "  %-32s %7s  %s%n", "longshore.error", "count", "example reason");
        for (DeadLetters.Group g : s.groups()) {
            String reason = g.exampleReason().length() > 100 ? g.exampleReason().substring(0, 97) + "..."
                    : g.exampleReason();
            out.printf(Locale.ROOT, "  %-32s %7d  %s%n", g.code(), g.count(), reason.replace('\n', ' '));
        }
        if (s.peeked() < s.depth()) {
            out.printf(Locale.ROOT, "  (grouped from %d of %d messages read; --sample for more)%n", s.peeked(), s.depth());
        }
    }
}
