package dev.longshore.video.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.process.Output;
import dev.longshore.core.process.ProcessOutcome;
import dev.longshore.core.process.ProcessSupervisor;
import dev.longshore.core.process.Termination;
import dev.longshore.video.testing.Processes;
import dev.longshore.testkit.FakeJobContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** ffmpeg stand-ins under the core supervisor, with the video worker's progress-based stall check. */
class FfmpegSupervisionTest {
    @TempDir
    Path tmp;

    /** A stand-in for ffmpeg: reports one progress block, starts a child, then hangs. */
    private Path hangingFfmpeg() throws Exception {
        return Processes.script(tmp, "ffmpeg", """
                sleep 300 &
                echo $! > "$(dirname "$0")/child.pid"
                echo frame=1
                echo out_time_us=40000
                echo progress=continue
                echo "[h264 @ 0x55d1] waiting for input" >&2
                wait
                """);
    }

    private long childPid() throws Exception {
        return Processes.awaitPid(tmp.resolve("child.pid"), Duration.ofSeconds(2));
    }

    @Test
    @Timeout(30)
    void stalledProcessIsKilledWithItsChildren() throws Exception {
        StallWatchdog watchdog = new StallWatchdog(Clock.systemUTC(), Duration.ofMillis(600));
        ProgressParser parser = new ProgressParser();
        ProcessOutcome outcome = ProcessSupervisor.builder(List.of(hangingFfmpeg().toString()))
                .threadName("test-ffmpeg")
                .stdout(Output.toLines(line -> parser.accept(line).ifPresent(watchdog::observe)))
                .stderrTo(tmp.resolve("err.log"))
                .timeLimit(Duration.ofMinutes(5))
                .stallTimeout(Duration.ofMillis(600), watchdog)
                .build()
                .run(r -> { });
        assertEquals(Termination.STALLED, outcome.termination());
        assertTrue(outcome.took().compareTo(Duration.ofMillis(600)) >= 0, outcome.took().toString());
        assertTrue(outcome.took().compareTo(Duration.ofSeconds(10)) < 0, outcome.took().toString());
        assertFalse(Processes.isRunning(childPid()), "the child of the stalled process is killed too");
        assertTrue(outcome.stderrTail().contains("waiting for input"), outcome.stderrTail());
    }

    @Test
    @Timeout(30)
    void processRunningPastItsTimeLimitIsKilled() throws Exception {
        ProcessOutcome outcome = ProcessSupervisor.builder(List.of(hangingFfmpeg().toString()))
                .stdoutTo(tmp.resolve("out.txt"))
                .stderrTo(tmp.resolve("err.log"))
                .timeLimit(Duration.ofMillis(500))
                .build()
                .run(r -> { });
        assertEquals(Termination.TIMED_OUT, outcome.termination());
        assertFalse(Processes.isRunning(childPid()));
    }

    @Test
    @Timeout(30)
    void cancellingTheJobKillsTheProcessTree() throws Exception {
        FakeJobContext ctx = new FakeJobContext();
        CompletableFuture<ProcessOutcome> running = CompletableFuture.supplyAsync(() -> {
            try {
                return ProcessSupervisor.builder(List.of(hangingFfmpeg().toString()))
                        .stdoutTo(tmp.resolve("out.txt"))
                        .stderrTo(tmp.resolve("err.log"))
                        .timeLimit(Duration.ofMinutes(5))
                        .build()
                        .run(ctx::onCancel);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long child = childPid();
        assertTrue(Processes.isRunning(child));
        ctx.cancel();
        ProcessOutcome outcome = running.get(10, TimeUnit.SECONDS);
        assertEquals(Termination.CANCELLED, outcome.termination());
        assertFalse(Processes.isRunning(child));
    }

    @Test
    void exitCodeAndStderrTailAreReported() throws Exception {
        Path failing = Processes.script(tmp, "failing", "echo 'first line' >&2\necho 'Conversion failed!' >&2\nexit 3\n");
        ProcessOutcome outcome = ProcessSupervisor.builder(List.of(failing.toString()))
                .stdoutTo(tmp.resolve("out.txt")).stderrTo(tmp.resolve("err.log"))
                .timeLimit(Duration.ofSeconds(30)).build().run(r -> { });
        assertEquals(Termination.EXITED, outcome.termination());
        assertEquals(3, outcome.exitCode());
        assertFalse(outcome.succeeded());
        assertEquals("first line\nConversion failed!", outcome.stderrTail());
    }

    @Test
    void argumentsAreNeverInterpretedByAShell() throws Exception {
        Path echo = Processes.script(tmp, "args", "for a in \"$@\"; do echo \"[$a]\"; done\n");
        Path marker = tmp.resolve("pwned");
        ProcessOutcome outcome = ProcessSupervisor.builder(List.of(echo.toString(), "a b", "$(touch " + marker + ")",
                        "; touch " + marker))
                .stdoutTo(tmp.resolve("out.txt")).stderrTo(tmp.resolve("err.log"))
                .timeLimit(Duration.ofSeconds(30)).build().run(r -> { });
        assertTrue(outcome.succeeded());
        assertFalse(Files.exists(marker));
        assertEquals(3, Files.readAllLines(tmp.resolve("out.txt")).size());
    }
}
