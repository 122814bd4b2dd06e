package dev.longshore.core;

import static dev.longshore.testkit.TestWorkers.eventually;
import static dev.longshore.testkit.TestWorkers.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.longshore.testkit.WorkerProcess;
import dev.longshore.core.testing.SleepWorkerMain;
import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.QueuePair;
import dev.longshore.testkit.SqsTap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The worker as operators run it: its own JVM, configured by environment, stopped by signals. */
class WorkerProcessIT {

    private static Map<String, String> env(EmbeddedSqs sqs, String queueUrl, Path record) {
        Map<String, String> env = sqs.workerEnvironment(queueUrl);
        env.put("TEST_RECORD_FILE", record.toString());
        return env;
    }

    @Test
    void idleWorkerExitsZeroWithinAboutASecondOfSigterm() throws Exception {
        Path record = Files.createTempFile("record", ".txt");
        try (EmbeddedSqs sqs = EmbeddedSqs.start(); SqsTap tap = SqsTap.inFrontOf(sqs)) {
            QueuePair q = sqs.createQueueWithDeadLetter("idle-process", 5, Duration.ofSeconds(30));
            Map<String, String> env = env(sqs, q.queueUrl(), record);
            env.putAll(tap.workerEnvironment());
            try (WorkerProcess w = WorkerProcess.start(SleepWorkerMain.class, env)) {
                assertTrue(eventually(Duration.ofSeconds(20), () -> w.stdout().contains("state WARMING -> READY")), w.stdout());
                assertTrue(eventually(Duration.ofSeconds(10), () -> tap.inFlight("ReceiveMessage") == 1),
                        "inside the 20 s long poll");
                long start = System.nanoTime();
                w.sigterm();
                int code = w.awaitExit(Duration.ofSeconds(10));
                long tookMs = (System.nanoTime() - start) / 1_000_000;
                assertEquals(0, code, w.stderr());
                assertTrue(tookMs < 3_000, "SIGTERM to exit took " + tookMs + " ms");
                assertEquals("", w.stderr(), "nothing on stderr");
                for (String line : w.stdout().lines().toList()) {
                    assertTrue(line.startsWith("{") && line.endsWith("}"), "JSON log line: " + line);
                }
            }
        }
    }

    @Test
    void sigtermMidLoadDrainsAndEveryMessageIsProcessedExactlyOnceAcrossTwoWorkers() throws Exception {
        Path record = Files.createTempFile("record", ".txt");
        int total = 40;
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            QueuePair q = sqs.createQueueWithDeadLetter("sigterm", 5, Duration.ofSeconds(30));
            for (int i = 0; i < total; i++) {
                String body = SleepWorkerMain.job("job-" + i, 400);
                sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(body));
            }
            Map<String, String> env = env(sqs, q.queueUrl(), record);
            env.put("WORKER_CONCURRENCY", "4");
            env.put("WORKER_DRAIN_TIMEOUT", "20s");
            try (WorkerProcess first = WorkerProcess.start(SleepWorkerMain.class, env)) {
                assertTrue(eventually(Duration.ofSeconds(30), () -> lines(record).size() >= 8), "first worker is busy");
                first.sigterm();
                assertEquals(0, first.awaitExit(Duration.ofSeconds(30)), first.stderr());
                assertTrue(first.stdout().contains("drain completed"), first.stdout());
                assertEquals("", first.stderr());
            }
            int doneByFirst = lines(record).size();
            assertTrue(doneByFirst < total, "the first worker stopped before the queue was empty");
            try (WorkerProcess second = WorkerProcess.start(SleepWorkerMain.class, env)) {
                assertTrue(eventually(Duration.ofSeconds(60), () -> lines(record).size() >= total),
                        "second worker finishes the rest; done " + lines(record).size());
                assertTrue(eventually(Duration.ofSeconds(20), () -> queueIsEmpty(sqs, q.queueUrl())),
                        "every message deleted");
                second.sigterm();
                assertEquals(0, second.awaitExit(Duration.ofSeconds(30)));
            }
            Map<String, Long> counts = lines(record).stream().map(l -> l.split(" ")[0])
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertEquals(total, counts.size(), "every job processed");
            counts.forEach((id, n) -> assertEquals(1L, n, id + " processed once"));
            assertEquals(2, lines(record).stream().map(l -> l.split(" ")[1]).distinct().count(), "both workers did work");
        }
    }

    @Test
    void sigintDrainsLikeSigtermRunningJobFinishesThenExitZero() throws Exception {
        Path record = Files.createTempFile("record", ".txt");
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            QueuePair q = sqs.createQueueWithDeadLetter("sigint", 5, Duration.ofSeconds(30));
            Map<String, String> env = env(sqs, q.queueUrl(), record);
            env.put("WORKER_DRAIN_TIMEOUT", "30s");
            try (WorkerProcess w = WorkerProcess.start(SleepWorkerMain.class, env)) {
                assumeFalse(sigintIgnored(w.pid()), "SIGINT is ignored in this environment (inherited SIG_IGN), "
                        + "so a JVM started here cannot receive it");
                String body = SleepWorkerMain.job("interrupted", 1500);
                sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(body));
                assertTrue(w.awaitLine(l -> l.contains("job interrupted started"), Duration.ofSeconds(30)) != null, w.stdout());
                Process kill = new ProcessBuilder("/bin/kill", "-s", "INT", String.valueOf(w.pid())).inheritIO().start();
                assertEquals(0, kill.waitFor(), "kill -s INT");
                assertEquals(0, w.awaitExit(Duration.ofSeconds(30)), w.stderr());
                String out = w.stdout();
                assertTrue(out.contains("drain initiated"), out);
                assertTrue(out.indexOf("drain initiated") < out.indexOf("job interrupted finished"),
                        "the running job finished during the drain: " + out);
                assertTrue(out.contains("drain completed: 1 finished, 0 released"), out);
                assertEquals(List.of("interrupted " + w.pid()), lines(record), "processed once, by this worker");
                assertEquals("", w.stderr());
            }
            var left = sqs.client().getQueueAttributes(r -> r.queueUrl(q.queueUrl()).attributeNamesWithStrings("All"))
                    .attributesAsStrings();
            assertEquals("0", left.get("ApproximateNumberOfMessages"));
            assertEquals("0", left.get("ApproximateNumberOfMessagesNotVisible"), "deleted before the exit");
        }
    }

    /** Whether SIGINT is ignored in the process (SigIgn bit 2 in /proc/PID/status). */
    private static boolean sigintIgnored(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0x2) != 0;
                }
            }
        } catch (Exception e) {
            // not Linux: assume signals behave normally
        }
        return false;
    }

    @Test
    void missingQueueExitsTwoWithOneLineOnStderr() throws Exception {
        Path record = Files.createTempFile("record", ".txt");
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            Map<String, String> env = env(sqs, "http://127.0.0.1:" + sqs.port() + "/000000000000/no-such-queue", record);
            try (WorkerProcess w = WorkerProcess.start(SleepWorkerMain.class, env)) {
                assertEquals(2, w.awaitExit(Duration.ofSeconds(20)));
                List<String> err = w.stderr().lines().toList();
                assertEquals(1, err.size(), w.stderr());
                assertTrue(err.get(0).contains("WORKER_QUEUE_URL"), err.get(0));
            }
        }
    }

    private static boolean queueIsEmpty(EmbeddedSqs sqs, String queueUrl) {
        Map<String, String> stats = sqs.client().getQueueAttributes(r -> r.queueUrl(queueUrl)
                .attributeNamesWithStrings("All")).attributesAsStrings();
        return "0".equals(stats.get("ApproximateNumberOfMessages"))
                && "0".equals(stats.get("ApproximateNumberOfMessagesNotVisible"));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
        } catch (Exception e) {
            return List.of();
        }
    }
}
