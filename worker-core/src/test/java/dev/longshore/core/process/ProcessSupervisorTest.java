package dev.longshore.core.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ProcessSupervisorTest {
    @TempDir
    Path tmp;

    private Path script(String name, String body) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, "#!/bin/bash\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    /** Alive means: in /proc and not a zombie (an orphan killed here may wait for a reaper that never comes). */
    static boolean running(long pid) {
        return ProcessGroup.stat(pid).map(ProcessGroup.Stat::alive).orElse(false);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private long readPid(String file) throws Exception {
        Path f = tmp.resolve(file);
        await(file, () -> {
            try {
                return Files.exists(f) && Files.readString(f).endsWith("\n");
            } catch (IOException e) {
                return false;
            }
        });
        return Long.parseLong(Files.readString(f).trim());
    }

    private ProcessSupervisor.Builder quiet(Path program, String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of(program.toString()));
        argv.addAll(List.of(args));
        return ProcessSupervisor.builder(argv).stdoutTo(tmp.resolve("out.log")).stderrTo(tmp.resolve("err.log"))
                .threadName("test-child");
    }

    @Test
    void aBackgroundChildDoesNotOutliveAProgramThatExitedZero() throws Exception {
        Path task = script("task", "nohup sleep 300 >/dev/null 2>&1 &\necho $! > \"$(dirname \"$0\")/sleep.pid\"\nexit 0\n");
        ProcessOutcome outcome = quiet(task).build().run(r -> { });
        assertTrue(outcome.succeeded(), outcome.toString());
        long sleep = readPid("sleep.pid");
        assertEquals(1, outcome.leftovers());
        assertFalse(running(sleep), "the nohup'ed sleep is gone after the job");
    }

    @Test
    void theChildLeadsItsOwnProcessGroupAndSession() throws Exception {
        Path task = script("task", "read -r _ _ _ _ pgrp session _ < /proc/$$/stat\necho \"$$ $pgrp $session\"\n");
        ProcessOutcome outcome = quiet(task).build().run(r -> { });
        String[] ids = Files.readString(tmp.resolve("out.log")).trim().split(" ");
        assertEquals(String.valueOf(outcome.pgid()), ids[0], "the program keeps the pid Java knows");
        assertEquals(ids[0], ids[1], "its process group is its own");
        assertEquals(ids[0], ids[2], "and so is its session");
        long jvmGroup = ProcessGroup.stat(ProcessHandle.current().pid()).orElseThrow().pgrp();
        assertNotEquals(jvmGroup, outcome.pgid());
    }

    @Test
    void aProgramThatWritesNothingForTheStallTimeoutIsEndedWithItsChildren() throws Exception {
        Path task = script("task", "sleep 300 &\necho $! > \"$(dirname \"$0\")/sleep.pid\"\necho started\nwait\n");
        List<String> lines = new CopyOnWriteArrayList<>();
        ProcessOutcome outcome = ProcessSupervisor.builder(List.of(task.toString()))
                .stdout(Output.toFileAndLines(tmp.resolve("out.log"), lines::add))
                .stderrTo(tmp.resolve("err.log"))
                .stallTimeout(Duration.ofMillis(500))
                .timeLimit(Duration.ofMinutes(10))
                .build().run(r -> { });
        assertEquals(Termination.STALLED, outcome.termination());
        assertEquals(List.of("started"), lines);
        assertEquals("started\n", Files.readString(tmp.resolve("out.log")));
        assertFalse(running(readPid("sleep.pid")));
    }

    @Test
    void theTimeLimitIsReadFromTheInjectedClock() throws Exception {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        AtomicReference<Instant> now = new AtomicReference<>(t0);
        Clock clock = new Clock() {
            @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now.get(); }
        };
        Path task = script("task", "echo $$ > \"$(dirname \"$0\")/task.pid\"\nsleep 300\n");
        CompletableFuture<ProcessOutcome> running = CompletableFuture.supplyAsync(() -> {
            try {
                return quiet(task).timeLimit(Duration.ofHours(1)).clock(clock).build().run(r -> { });
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        long pid = readPid("task.pid");
        assertTrue(running(pid));
        now.set(t0.plus(Duration.ofMinutes(61)));
        ProcessOutcome outcome = running.get(30, TimeUnit.SECONDS);
        assertEquals(Termination.TIMED_OUT, outcome.termination());
        assertFalse(running(pid));
    }

    @Test
    void cancellingSendsTermToTheGroupAndKillsWhatIgnoresItAfterTheGrace() throws Exception {
        Path task = script("task", "trap '' TERM\nsleep 300 &\necho $! > \"$(dirname \"$0\")/sleep.pid\"\nwait\n");
        AtomicReference<Runnable> cancel = new AtomicReference<>();
        CompletableFuture<ProcessOutcome> running = CompletableFuture.supplyAsync(() -> {
            try {
                return quiet(task).killGrace(Duration.ofMillis(200)).build().run(cancel::set);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        long sleep = readPid("sleep.pid");
        await("cancel registration", () -> cancel.get() != null);
        cancel.get().run();
        ProcessOutcome outcome = running.get(30, TimeUnit.SECONDS);
        assertEquals(Termination.CANCELLED, outcome.termination());
        assertEquals(Signal.KILL, outcome.signal().orElseThrow(), "TERM was ignored, so KILL ended it");
        assertFalse(running(sleep));
    }

    @Test
    void anExitBySignalIsReportedAsThatSignal() throws Exception {
        Path task = script("task", "kill -TERM $$\nsleep 5\n");
        ProcessOutcome outcome = quiet(task).build().run(r -> { });
        assertEquals(Termination.EXITED, outcome.termination());
        assertEquals(143, outcome.exitCode());
        assertEquals(Signal.TERM, outcome.signal().orElseThrow());
    }

    @Test
    void anySignalReachesEveryMemberOfTheGroup() throws Exception {
        Path task = script("task", """
                trap 'echo got >> "$(dirname "$0")/usr1"; exit 0' USR1
                (trap 'echo got >> "$(dirname "$0")/usr1"; exit 0' USR1; touch "$(dirname "$0")/child.ready"; \
                while :; do sleep 0.05; done) &
                touch "$(dirname "$0")/ready"
                while :; do sleep 0.05; done
                """);
        AtomicReference<ProcessGroup> group = new AtomicReference<>();
        CompletableFuture<ProcessOutcome> running = CompletableFuture.supplyAsync(() -> {
            try {
                return quiet(task).onStart(group::set).build().run(r -> { });
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        await("ready", () -> Files.exists(tmp.resolve("ready")) && Files.exists(tmp.resolve("child.ready")));
        group.get().signal(Signal.USR1);
        ProcessOutcome outcome = running.get(30, TimeUnit.SECONDS);
        assertTrue(outcome.succeeded(), outcome.toString());
        await("both handlers", () -> {
            try {
                return Files.readAllLines(tmp.resolve("usr1")).size() == 2;
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Test
    void aMissingProgramFailsToStartWithItsName() {
        IOException e = assertThrows(IOException.class, () -> ProcessSupervisor.builder(List.of("no-such-program-x"))
                .stdoutTo(tmp.resolve("o")).stderrTo(tmp.resolve("e")).build().run(r -> { }));
        assertTrue(e.getMessage().contains("no-such-program-x"), e.getMessage());
    }

    @Test
    void argumentsAreNeverInterpretedByAShellAndStderrTailIsReported() throws Exception {
        Path echo = script("args", "for a in \"$@\"; do echo \"[$a]\"; done\necho oops >&2\nexit 3\n");
        Path marker = tmp.resolve("pwned");
        ProcessOutcome outcome = quiet(echo, "a b", "$(touch " + marker + ")", "; touch " + marker, "--help")
                .build().run(r -> { });
        assertEquals(3, outcome.exitCode());
        assertFalse(Files.exists(marker));
        assertEquals(4, Files.readAllLines(tmp.resolve("out.log")).size());
        assertEquals("oops", outcome.stderrTail());
    }
}
