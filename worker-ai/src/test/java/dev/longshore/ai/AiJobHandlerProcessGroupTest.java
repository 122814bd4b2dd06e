package dev.longshore.ai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshore.ai.result.JobResult;
import dev.longshore.ai.result.ResultPublisher;
import dev.longshore.ai.runner.InputFetcher;
import dev.longshore.ai.runner.InputSettings;
import dev.longshore.ai.runner.JobsDirectory;
import dev.longshore.ai.runner.ProcessRunner;
import dev.longshore.ai.task.TaskRegistry;
import dev.longshore.ai.testing.BackgroundJobs;
import dev.longshore.testkit.FakeJobContext;
import dev.longshore.core.http.PrivateDestinations;
import dev.longshore.core.job.Job;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import dev.longshore.core.metrics.Counter;
import dev.longshore.core.process.Signal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks in their own process groups (docs/ai.md): nothing outlives its job, a group left by an earlier
 * attempt is ended before the rerun, and a task stopped by the drain is released with its state kept.
 */
@Timeout(120)
class AiJobHandlerProcessGroupTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration KILL_GRACE = Duration.ofMillis(300);

    @TempDir
    Path tmp;

    private final FakeJobContext ctx = new FakeJobContext();
    private final List<JobResult> published = new CopyOnWriteArrayList<>();

    private AiJobHandler handler(String script, Optional<Signal> drainSignal) throws Exception {
        Path tasks = tmp.resolve("tasks.json");
        Files.writeString(tasks, "{\"t\": {\"argv\": [\"/bin/sh\", \"-c\", " + JSON.writeValueAsString(script)
                + ", \"sh\", \"${arg.a}\"], \"gpus\": 0}}");
        ResultPublisher results = published::add;
        return new AiJobHandler(TaskRegistry.load(tasks), "test tasks", jobs(),
                InputFetcher.create(PrivateDestinations.none(), InputSettings.defaults()),
                new ProcessRunner(KILL_GRACE, drainSignal), Optional.empty(), results, System.getenv(),
                Clock.systemUTC(), new Counter());
    }

    private JobsDirectory jobs() throws IOException {
        return new JobsDirectory(tmp.resolve("jobs"));
    }

    private static Job job(String id, String arg, int receiveCount) throws Exception {
        return new Job(id, "ai.run", (ObjectNode) JSON.readTree("{\"task\": \"t\", \"args\": {\"a\": "
                + JSON.writeValueAsString(arg) + "}}"), receiveCount, "msg-" + id, Optional.empty());
    }

    /** In /proc and not a zombie: an orphan killed here may wait for a reaper that never comes. */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private static long pidIn(Path file) throws Exception {
        await("a pid in " + file, () -> {
            try {
                return Files.readString(file).endsWith("\n");
            } catch (IOException e) {
                return false;
            }
        });
        return Long.parseLong(Files.readString(file).strip());
    }

    @Test
    void aBackgroundChildOfATaskThatExitedZeroIsGoneAfterTheJob() throws Exception {
        Path pidFile = tmp.resolve("sleep.pid");
        AiJobHandler h = handler("nohup sleep 300 >/dev/null 2>&1 &\necho $! > \"$1\"\nexit 0\n", Optional.empty());
        h.handle(job("bg-1", pidFile.toString(), 1), ctx);
        long sleep = pidIn(pidFile);
        assertTrue(Files.exists(jobs().resolve("bg-1").path().resolve("SUCCESS")));
        assertFalse(running(sleep), "the nohup'ed sleep " + sleep + " ended with its job");
    }

    @Test
    void aGroupLeftByAnEarlierAttemptOfTheSameJobIsEndedBeforeTheRerun() throws Exception {
        Path staleDir = jobs().resolve("stale-1").path();
        Path otherDir = jobs().resolve("other-1").path();
        Files.createDirectories(staleDir);
        Files.createDirectories(otherDir);
        // As if the worker had been SIGKILLed: the earlier attempt's group lives on, its id in the directory.
        Process stale = startInOwnGroup(staleDir);
        Files.writeString(staleDir.resolve(".pgid"), stale.pid() + "\n");
        // A recorded id now used by processes of another job (id reuse) is left alone.
        Process foreign = startInOwnGroup(otherDir);
        Path foreignRecord = jobs().resolve("reused-1").path();
        Files.createDirectories(foreignRecord);
        Files.writeString(foreignRecord.resolve(".pgid"), foreign.pid() + "\n");
        try {
            AiJobHandler h = handler("echo rerun > \"$OUTPUT_DIR/done\"\n", Optional.empty());
            h.handle(job("stale-1", "", 2), ctx);
            assertTrue(stale.waitFor(10, TimeUnit.SECONDS), "the stale group was ended");
            assertTrue(Files.exists(staleDir.resolve("SUCCESS")));
            assertFalse(Files.exists(staleDir.resolve(".pgid")), "the finished attempt's group is not recorded");

            h.handle(job("reused-1", "", 2), ctx);
            assertTrue(foreign.isAlive(), "a group of another job is never touched");
        } finally {
            stale.destroyForcibly();
            foreign.destroyForcibly();
        }
    }

    private static Process startInOwnGroup(Path jobDir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("setsid", "--", "sleep", "300")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("JOB_DIR", jobDir.toString());
        return pb.start();
    }

    @Test
    void aTaskEndedBySigtermWhileTheWorkerDrainsIsReleasedNotFailedPermanently() throws Exception {
        Path pidFile = tmp.resolve("task.pid");
        AiJobHandler h = handler("echo $$ > \"$1\"\nsleep 300\n", Optional.empty());
        CompletableFuture<Throwable> outcome = BackgroundJobs.start(h, job("drain-1", pidFile.toString(), 1), ctx);
        long task = pidIn(pidFile);
        ctx.startDrain();
        // The signal comes from outside the worker (systemd stopping the whole unit, an operator's kill).
        ProcessHandle.of(task).orElseThrow().destroy();
        RetryableFailure f = assertInstanceOf(RetryableFailure.class, outcome.get(30, TimeUnit.SECONDS));
        assertEquals("cancelled", f.code());
        assertEquals(Optional.of(Duration.ZERO), f.retryAfter(), "released at once, not after a backoff");
        assertTrue(f.reason().contains("SIGTERM"), f.reason());
        assertTrue(published.isEmpty(), "no FAILED result for a released job");
    }

    @Test
    void theDrainSignalTellsTheTaskWhichKeepsItsStateForTheNextAttempt() throws Exception {
        AiJobHandler h = handler("""
                if [ -e "$STATE_DIR/checkpoint" ]; then
                  echo "resumed from $(cat "$STATE_DIR/checkpoint")" > "$OUTPUT_DIR/result"; exit 0
                fi
                trap 'echo step-7 > "$STATE_DIR/checkpoint"; exit 3' USR1
                echo $$ > "$1"
                while :; do sleep 0.05; done
                """, Optional.of(Signal.USR1));
        Path pidFile = tmp.resolve("task.pid");
        CompletableFuture<Throwable> first = BackgroundJobs.start(h, job("resume-1", pidFile.toString(), 1), ctx);
        pidIn(pidFile);
        ctx.startDrain();
        RetryableFailure f = assertInstanceOf(RetryableFailure.class, first.get(30, TimeUnit.SECONDS));
        assertEquals("cancelled", f.code());
        Path dir = jobs().resolve("resume-1").path();
        assertEquals("step-7", Files.readString(dir.resolve("state/checkpoint")).strip());

        h.handle(job("resume-1", pidFile.toString(), 2), new FakeJobContext());
        assertEquals("resumed from step-7", Files.readString(dir.resolve("outputs/result")).strip());
        assertFalse(Files.exists(dir.resolve("state")), "the state goes once the job succeeded");
    }

    @Test
    void withoutADrainAnExitBySignalIsAPermanentFailureWhoseResultCarriesExitCodeAndSignal() throws Exception {
        AiJobHandler h = handler("kill -KILL $$\n", Optional.empty());
        PermanentFailure f = assertThrows(PermanentFailure.class, () -> h.handle(job("killed-1", "", 1), ctx));
        assertEquals("exit_137", f.code());
        assertEquals(1, published.size());
        var json = published.getFirst().toJson();
        assertEquals("FAILED", json.get("status").asText());
        assertEquals(137, json.get("exitCode").asInt());
        assertEquals("SIGKILL", json.get("signal").asText());
    }
}
