package dev.longshore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportGoalsTest {
    private final Figures f = new Figures();

    private Report report() {
        return new Report(f, List.of("longshore", "sqs-consumer-batch", "worker-messaging"), null);
    }

    private String goal(String startsWith) {
        return report().goals().stream().filter(l -> l.startsWith("- " + startsWith)).findFirst()
                .orElseThrow(() -> new AssertionError("no line " + startsWith + " in " + report().goals()));
    }

    /** One figure for both peers a ratio goal compares. */
    private void add(String figure, double longshore, double sqsConsumerBatch) {
        f.add(figure, "longshore", longshore);
        f.add(figure, "sqs-consumer-batch", sqsConsumerBatch);
    }

    @Test
    void aGoalAtLeastIsMetAtTheBoundAndMissedUnderIt() {
        assertEquals("met", Goal.atLeast("t", 1.5, 1.5, "x").verdict());
        assertEquals("missed", Goal.atLeast("t", 1.49, 1.5, "x").verdict());
        assertEquals("met", Goal.atMost("t", 64, 64, " MiB").verdict());
        assertEquals("missed", Goal.atMost("t", 64.1, 64, " MiB").verdict());
        assertEquals("n/a", Goal.atMost("t", Double.NaN, 64, " MiB").verdict());
        assertEquals("n/a", Goal.atMost("t", 3, Double.NaN, "").verdict());
    }

    @Test
    void throughputAtC40IsMetFromOnePointFiveTimesSqsConsumerBatch() {
        add(Report.throughput("no-op, C=40"), 1600, 1000);
        add(Report.throughput("no-op, C=64"), 1100, 1000);

        assertEquals("- throughput no-op, C=40, longshore / sqs-consumer-batch: 1.60x (goal >= 1.50x): met",
                goal("throughput no-op, C=40"));
        assertTrue(goal("throughput no-op, C=64").endsWith("(goal >= 1.20x): missed"), goal("throughput no-op, C=64"));
    }

    @Test
    void aConfigurationWithoutAThroughputGoalSaysSo() {
        add(Report.throughput("no-op, C=4"), 900, 1000);

        assertEquals("- throughput no-op, C=4, longshore / sqs-consumer-batch: 0.90x (no goal)", goal("throughput no-op, C=4"));
    }

    @Test
    void consumerCpuIsMetAtNoMoreThanPointEightTimesSqsConsumerBatch() {
        f.add(Report.throughput("50 ms, C=64"), "longshore", 1);
        add(Report.consumerCpu("50 ms, C=64"), 0.09, 0.1);

        assertTrue(goal("consumer CPU per 1000 msgs 50 ms, C=64").endsWith("0.90x (goal <= 0.80x): missed"),
                goal("consumer CPU per 1000 msgs 50 ms, C=64"));
    }

    @Test
    void requestsAreMetWhenLongshoreMakesNoMoreThanSqsConsumerBatch() {
        f.add(Report.throughput("no-op, C=40"), "longshore", 1);
        add(Report.requests("no-op, C=40"), 210, 210);
        f.add(Report.throughput("no-op, C=64"), "longshore", 1);
        add(Report.requests("no-op, C=64"), 230, 220);

        assertTrue(goal("SQS requests per 1000 msgs no-op, C=40").endsWith(": met"), goal("SQS requests per 1000 msgs no-op, C=40"));
        assertTrue(goal("SQS requests per 1000 msgs no-op, C=64").endsWith(": missed"), goal("SQS requests per 1000 msgs no-op, C=64"));
    }

    @Test
    void idleGoalsAreJudgedForLongshoreAndWorkerMessaging() {
        f.add("idle RSS after 10 s (MiB)", "longshore", 60);
        f.add("idle RSS after 10 s (MiB)", "worker-messaging", 90);
        f.add("start to first ReceiveMessage (ms)", "longshore", 310);
        f.add("idle CPU (s per 30 s)", "worker-messaging", 0.01);

        assertEquals("- idle RSS after 10 s (MiB), longshore: 60 MiB (goal <= 64 MiB): met", goal("idle RSS after 10 s (MiB), longshore"));
        assertTrue(goal("idle RSS after 10 s (MiB), worker-messaging").endsWith(": missed"));
        assertTrue(goal("start to first ReceiveMessage, longshore").endsWith("310 ms (goal <= 300 ms): missed"));
        assertTrue(goal("idle CPU per 30 s, worker-messaging").endsWith(": met"));
        assertTrue(goal("idle CPU per 30 s, longshore").endsWith(": n/a"));
    }

    @Test
    void theRequestsTableBreaksTheTotalDownByOperation() {
        f.add(Report.throughput("no-op, C=40"), "longshore", 1);
        f.add(Report.requests("no-op, C=40"), "longshore", 200);
        f.add(Report.requests("no-op, C=40", SqsOperation.RECEIVE), "longshore", 100);
        f.add(Report.requests("no-op, C=40", SqsOperation.DELETE), "longshore", 100);
        f.add(Report.requests("no-op, C=40", SqsOperation.VISIBILITY), "longshore", 0);
        f.add(Report.requests("no-op, C=40", SqsOperation.OTHER), "longshore", 0);

        assertTrue(report().requestsTable().contains("| no-op, C=40 | longshore | 200 | 100 | 100 | 0 | 0 |"), report().requestsTable());
    }

    @Test
    void replottingReadsOnlyTheFiguresTableNotTheTablesAfterIt() {
        List<String> peers = new java.util.ArrayList<>();
        Figures read = Report.fromMarkdown(List.of("| figure | longshore |", "|---|---:|", "| throughput no-op, C=40 (msg/s) | 1,200 |",
                "", "| configuration | peer | total |", "|---|---|---:|", "| no-op, C=40 | longshore | 221 |"), peers);

        assertEquals(List.of("longshore"), peers);
        assertEquals(List.of("throughput no-op, C=40 (msg/s)"), read.figures());
        assertEquals(List.of(1200.0), read.get("throughput no-op, C=40 (msg/s)", "longshore"));
    }
}
