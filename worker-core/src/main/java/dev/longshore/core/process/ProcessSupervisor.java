package dev.longshore.core.process;

import dev.longshore.core.config.ConfigException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one external program from an argument list (never through a shell) in its own session and process group,
 * and watches it (README "Signals, states and exit codes"). Java cannot call setsid(2) in the child, so the
 * program is started through {@code setsid} from util-linux: the child Java starts is never a group leader, so
 * setsid does not fork and the program keeps the pid Java knows, which is also its process group id.
 *
 * <p>The group is ended (SIGTERM, then SIGKILL after the kill grace) when the program stops advancing, runs past
 * its time limit or the job is cancelled, and also when it ends by itself: no background child
 * ({@code nohup sleep 1000 &}) outlives its job. stdin is /dev/null; stdout and stderr go to files and/or, line
 * by line, to consumers on reader threads this object starts and joins. Time limits and stall detection read the
 * injected clock.
 */
public final class ProcessSupervisor {
    /** Long enough for a model server to flush a checkpoint or ffmpeg to close its files; short next to a drain. */
    public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);
    /** How often the supervisor looks at the clock; smaller when the stall timeout is short, to see it in time. */
    private static final Duration MAX_TICK = Duration.ofMillis(250);
    private static final Duration MIN_TICK = Duration.ofMillis(10);
    /** setsid(2) runs right after exec; a group still not formed after this is reported, not waited for. */
    private static final Duration SESSION_WAIT = Duration.ofSeconds(2);
    /** Enough of stderr to explain a failure without carrying a whole log into a message attribute. */
    private static final int STDERR_TAIL_BYTES = 2048;
    private static final Duration READER_JOIN = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(ProcessSupervisor.class);

    private final List<String> command;
    private final Optional<Path> workDir;
    private final Optional<Map<String, String>> environment;
    private final Output stdout;
    private final Output stderr;
    private final Optional<Duration> timeLimit;
    private final Optional<Duration> stallTimeout;
    private final Liveness liveness;
    private final Duration killGrace;
    private final Duration tick;
    private final Clock clock;
    private final String threadName;
    private final Consumer<ProcessGroup> onStart;
    private final AtomicReference<Instant> lastOutput = new AtomicReference<>();

    private ProcessSupervisor(Builder b) {
        this.command = List.copyOf(b.command);
        this.workDir = Optional.ofNullable(b.workDir);
        this.environment = Optional.ofNullable(b.environment).map(Map::copyOf);
        this.stdout = Objects.requireNonNull(b.stdout, "stdout");
        this.stderr = Objects.requireNonNull(b.stderr, "stderr");
        this.timeLimit = Optional.ofNullable(b.timeLimit);
        this.stallTimeout = Optional.ofNullable(b.stallTimeout);
        this.killGrace = b.killGrace;
        this.clock = b.clock;
        this.threadName = b.threadName;
        this.onStart = b.onStart;
        this.liveness = b.liveness != null ? b.liveness : stallTimeout
                .<Liveness>map(limit -> now -> Duration.between(lastOutput.get(), now).compareTo(limit) < 0)
                .orElse(now -> true);
        Duration t = stallTimeout.map(s -> s.dividedBy(4)).filter(q -> q.compareTo(MAX_TICK) < 0).orElse(MAX_TICK);
        this.tick = t.compareTo(MIN_TICK) < 0 ? MIN_TICK : t;
    }

    public static Builder builder(List<String> command) {
        return new Builder(command);
    }

    /** Where {@code setsid} is: on the worker's PATH, else the usual util-linux locations. */
    public static Optional<Path> setsid() {
        return findOnPath("setsid", System.getenv("PATH"))
                .or(() -> List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid")).stream()
                        .filter(Files::isExecutable).findFirst());
    }

    /**
     * Fails start-up (exit 2, one line) when {@code setsid} is missing: without it a child could not be ended with
     * everything it started.
     */
    public static void requireSetsid() {
        if (setsid().isEmpty()) {
            throw ConfigException.invalid("PATH", String.valueOf(System.getenv("PATH")), "a PATH that holds setsid "
                    + "(util-linux, e.g. apt-get install util-linux): child processes run in their own process group");
        }
    }

    /**
     * Starts the program and waits for it and its process group to end.
     *
     * @param onCancel registers the group's end with the job's cancellation (drain deadline), e.g. {@code ctx::onCancel}
     * @throws IOException when the program or setsid cannot be found or started
     */
    public ProcessOutcome run(Consumer<Runnable> onCancel) throws IOException {
        Path setsid = setsid().orElseThrow(() -> new IOException("cannot run program \"" + command.getFirst()
                + "\": setsid (util-linux) is not installed, so it cannot get its own process group"));
        List<String> argv = new ArrayList<>(List.of(setsid.toString(), "--", resolveProgram()));
        argv.addAll(command.subList(1, command.size()));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        workDir.ifPresent(d -> pb.directory(d.toFile()));
        environment.ifPresent(env -> {
            pb.environment().clear();
            pb.environment().putAll(env);
        });
        redirect(stdout, pb::redirectOutput);
        redirect(stderr, pb::redirectError);
        Instant started = clock.instant();
        lastOutput.set(started);
        Process process = pb.start();
        ProcessGroup group = ProcessGroup.of(process.pid());
        List<Thread> readers = new ArrayList<>();
        if (stdout.piped()) {
            readers.add(startReader(process.getInputStream(), stdout, threadName + "-stdout"));
        }
        if (stderr.piped()) {
            readers.add(startReader(process.getErrorStream(), stderr, threadName + "-stderr"));
        }
        awaitSession(process);
        AtomicBoolean cancelled = new AtomicBoolean();
        Termination termination = Termination.EXITED;
        boolean interrupted = false;
        int leftovers = 0;
        try {
            onStart.accept(group);
            // The cancel action ends the group itself, on the cancelling (drain) thread: the worker exits right
            // after a drain, and must not leave the group in its grace period behind.
            onCancel.accept(() -> {
                if (cancelled.compareAndSet(false, true)) {
                    group.terminate(killGrace);
                }
            });
            long[] fileSizes = new long[2];
            while (!process.waitFor(tick.toMillis(), TimeUnit.MILLISECONDS)) {
                Instant now = clock.instant();
                noteFileGrowth(fileSizes, now);
                if (cancelled.get()) {
                    termination = Termination.CANCELLED;
                } else if (stallTimeout.isPresent() && !liveness.isAdvancing(now)) {
                    termination = Termination.STALLED;
                } else if (timeLimit.isPresent() && Duration.between(started, now).compareTo(timeLimit.get()) > 0) {
                    termination = Termination.TIMED_OUT;
                }
                if (termination != Termination.EXITED) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            termination = Termination.CANCELLED;
            interrupted = true;
        } finally {
            if (termination == Termination.EXITED && cancelled.get()) {
                // The cancel action signalled it between two ticks.
                termination = Termination.CANCELLED;
            }
            if (termination != Termination.EXITED || process.isAlive()) {
                log.info("ending {} ({}): {}", group, command.getFirst(), termination.name().toLowerCase());
                group.terminate(killGrace);
                process.destroyForcibly();
            } else {
                leftovers = group.members().size();
                if (leftovers > 0) {
                    log.info("{} exited and left {} process(es) in {}; ending them", command.getFirst(), leftovers,
                            group);
                    group.terminate(killGrace);
                }
            }
            interrupted |= awaitExit(process);
            readers.forEach(ProcessSupervisor::join);
            // An interrupt means "cancelled", which the outcome says; it is consumed here so the caller can still
            // write its markers (NIO refuses on an interrupted thread).
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            termination = Termination.CANCELLED;
        }
        Duration took = Duration.between(started, clock.instant());
        int exit = process.isAlive() ? -1 : process.exitValue();
        String tail = stderr.file().filter(f -> !stderr.piped()).map(ProcessSupervisor::tail).orElse("");
        return new ProcessOutcome(termination, exit, group.pgid(), leftovers, tail, took);
    }

    private String resolveProgram() throws IOException {
        String program = command.getFirst();
        if (program.contains("/")) {
            Path p = workDir.map(d -> d.resolve(program)).orElse(Path.of(program));
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw new IOException("Cannot run program \"" + program + "\": no executable file at " + p);
            }
            return program;
        }
        String path = environment.map(env -> env.get("PATH")).orElse(System.getenv("PATH"));
        return findOnPath(program, path).map(Path::toString).orElseThrow(() -> new IOException(
                "Cannot run program \"" + program + "\": not found on PATH " + path));
    }

    private static Optional<Path> findOnPath(String program, String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static void redirect(Output out, Consumer<ProcessBuilder.Redirect> to) {
        if (out.piped()) {
            to.accept(ProcessBuilder.Redirect.PIPE);
        } else {
            to.accept(ProcessBuilder.Redirect.to(out.file().orElseThrow().toFile()));
        }
    }

    /** Output written straight to a file counts as activity for the stall check when the file grows. */
    private void noteFileGrowth(long[] sizes, Instant now) {
        Output[] outs = {stdout, stderr};
        for (int i = 0; i < outs.length; i++) {
            if (outs[i].piped() || outs[i].file().isEmpty()) {
                continue;
            }
            long size = outs[i].file().get().toFile().length();
            if (size != sizes[i]) {
                sizes[i] = size;
                lastOutput.set(now);
            }
        }
    }

    /** Waits (bounded) until setsid has made the child its session and group leader, or it exited. */
    private static void awaitSession(Process process) {
        long deadline = System.nanoTime() + SESSION_WAIT.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            Optional<ProcessGroup.Stat> stat = ProcessGroup.stat(process.pid());
            if (stat.isEmpty() || stat.get().pgrp() == process.pid()) {
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        if (process.isAlive()) {
            log.warn("process {} is not its own group leader after {}; its children may escape", process.pid(),
                    SESSION_WAIT);
        }
    }

    private Thread startReader(InputStream in, Output out, String name) {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        Consumer<String> consumer = out.lines().orElseThrow();
        return Thread.ofPlatform().name(name).daemon(true).start(() -> {
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                 Writer file = out.file().isPresent() ? Files.newBufferedWriter(out.file().get()) : Writer.nullWriter()) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lastOutput.set(clock.instant());
                    file.write(line);
                    file.write('\n');
                    try {
                        consumer.accept(line);
                    } catch (RuntimeException e) {
                        log.warn("output consumer of {} failed on a line", command.getFirst(), e);
                    }
                }
            } catch (IOException e) {
                // The process was killed and its pipe closed under us; nothing more to read.
                log.debug("output of {} closed: {}", command.getFirst(), e.toString());
            }
        });
    }

    /** Waits (bounded) for the leader to be reaped, even when interrupted; returns whether it was interrupted. */
    private static boolean awaitExit(Process process) {
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + ProcessGroup.KILL_WAIT.toNanos();
        while (process.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                process.waitFor(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return interrupted;
    }

    private static void join(Thread reader) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + READER_JOIN.toNanos();
        // The pipe closes when the group is gone, which ends the reader.
        while (reader.isAlive() && System.nanoTime() < deadline) {
            try {
                reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (reader.isAlive()) {
            log.warn("reader thread {} still running after {}; a process outside the group holds its pipe; "
                    + "leaving it (daemon)", reader.getName(), READER_JOIN);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of a log file, at most {@value #STDERR_TAIL_BYTES} bytes, starting at a line boundary. */
    public static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
                long len = raf.length();
                long from = Math.max(0, len - STDERR_TAIL_BYTES);
                byte[] buf = new byte[(int) (len - from)];
                raf.seek(from);
                raf.readFully(buf);
                String text = new String(buf, StandardCharsets.UTF_8).strip();
                if (from > 0) {
                    int nl = text.indexOf('\n');
                    text = nl >= 0 ? text.substring(nl + 1) : text;
                }
                return text;
            }
        } catch (IOException e) {
            return "(stderr unreadable: " + e.getMessage() + ")";
        }
    }

    public static final class Builder {
        private final List<String> command;
        private Path workDir;
        private Map<String, String> environment;
        private Output stdout;
        private Output stderr;
        private Duration timeLimit;
        private Duration stallTimeout;
        private Liveness liveness;
        private Duration killGrace = DEFAULT_KILL_GRACE;
        private Clock clock = Clock.systemUTC();
        private String threadName = Thread.currentThread().getName() + "-child";
        private Consumer<ProcessGroup> onStart = g -> { };

        private Builder(List<String> command) {
            if (command.isEmpty()) {
                throw new IllegalArgumentException("empty command");
            }
            this.command = command;
        }

        public Builder workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        /** The child's complete environment; without this it inherits the worker's. */
        public Builder environment(Map<String, String> env) {
            this.environment = env;
            return this;
        }

        public Builder stdout(Output out) {
            this.stdout = out;
            return this;
        }

        public Builder stderr(Output out) {
            this.stderr = out;
            return this;
        }

        public Builder stdoutTo(Path file) {
            return stdout(Output.toFile(file));
        }

        public Builder stderrTo(Path file) {
            return stderr(Output.toFile(file));
        }

        /** Names the reader threads {@code <name>-stdout} and {@code <name>-stderr}. */
        public Builder threadName(String name) {
            this.threadName = name;
            return this;
        }

        public Builder timeLimit(Duration limit) {
            this.timeLimit = limit;
            return this;
        }

        /** STALLED when it writes nothing (no line read, no growth of an output file) for {@code timeout}. */
        public Builder stallTimeout(Duration timeout) {
            this.stallTimeout = timeout;
            return this;
        }

        /** STALLED when {@code liveness} says it stopped advancing (e.g. ffmpeg's progress no longer grows). */
        public Builder stallTimeout(Duration timeout, Liveness liveness) {
            this.stallTimeout = timeout;
            this.liveness = liveness;
            return this;
        }

        /**
     * Time between SIGTERM and SIGKILL when the group is ended. A cancellation waits for it on the drain's
     * thread, so keep it short next to WORKER_DRAIN_TIMEOUT.
     */
        public Builder killGrace(Duration grace) {
            this.killGrace = grace;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Called on the running thread once the group exists, e.g. to record its id or to signal it later. */
        public Builder onStart(Consumer<ProcessGroup> onStart) {
            this.onStart = onStart;
            return this;
        }

        public ProcessSupervisor build() {
            return new ProcessSupervisor(this);
        }
    }
}
