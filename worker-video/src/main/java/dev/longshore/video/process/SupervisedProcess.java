package dev.longshore.video.process;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one external program from an argument list (never through a shell) and watches it: killed with its
 * children when it stops advancing, runs too long, or the job is cancelled. stdin is /dev/null; stderr goes to
 * a file (no thread needed, and its tail becomes the failure reason); stdout either to a file or, line by line,
 * to a consumer on a named reader thread that this object starts and joins.
 */
public final class SupervisedProcess {
    private static final Logger log = LoggerFactory.getLogger(SupervisedProcess.class);
    /** How often the supervisor looks at the clock; bounded below the stall timeout so a stall is seen in time. */
    private static final Duration MAX_TICK = Duration.ofMillis(250);
    /** Enough of stderr to explain a failure without carrying a whole log into a message attribute. */
    private static final int STDERR_TAIL_BYTES = 2048;
    private static final long READER_JOIN_MILLIS = 5_000;

    private final List<String> command;
    private final Path stderrFile;
    private final Optional<Path> stdoutFile;
    private final Optional<Consumer<String>> stdoutLines;
    private final String readerThreadName;
    private final Duration timeLimit;
    private final Liveness liveness;
    private final Duration tick;
    private final Clock clock;

    private SupervisedProcess(Builder b) {
        this.command = List.copyOf(b.command);
        this.stderrFile = Objects.requireNonNull(b.stderrFile, "stderrFile");
        this.stdoutFile = Optional.ofNullable(b.stdoutFile);
        this.stdoutLines = Optional.ofNullable(b.stdoutLines);
        this.readerThreadName = b.readerThreadName;
        this.timeLimit = Objects.requireNonNull(b.timeLimit, "timeLimit");
        this.liveness = b.liveness;
        this.tick = b.tick;
        this.clock = b.clock;
        if (stdoutFile.isPresent() == stdoutLines.isPresent()) {
            throw new IllegalArgumentException("stdout goes either to a file or to a line consumer");
        }
    }

    public static Builder builder(List<String> command) {
        return new Builder(command);
    }

    /**
     * Starts the program and waits for it to end or be killed.
     *
     * @param onCancel registers the kill with the job's cancellation (drain deadline), e.g. {@code ctx::onCancel}
     * @throws IOException when the program cannot be started
     */
    public ProcessOutcome run(Consumer<Runnable> onCancel) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(stderrFile.toFile());
        stdoutFile.ifPresent(f -> pb.redirectOutput(f.toFile()));
        Instant started = clock.instant();
        Process process = pb.start();
        AtomicBoolean cancelled = new AtomicBoolean();
        Thread reader = stdoutLines.map(consumer -> startReader(process.getInputStream(), consumer)).orElse(null);
        onCancel.accept(() -> {
            if (cancelled.compareAndSet(false, true)) {
                ProcessTree.kill(process);
            }
        });
        Termination termination = Termination.EXITED;
        try {
            while (!process.waitFor(tick.toMillis(), TimeUnit.MILLISECONDS)) {
                Instant now = clock.instant();
                if (cancelled.get()) {
                    termination = Termination.CANCELLED;
                } else if (!liveness.isAdvancing(now)) {
                    termination = Termination.STALLED;
                } else if (Duration.between(started, now).compareTo(timeLimit) > 0) {
                    termination = Termination.TIMED_OUT;
                }
                if (termination != Termination.EXITED) {
                    ProcessTree.kill(process);
                    break;
                }
            }
        } catch (InterruptedException e) {
            termination = Termination.CANCELLED;
            ProcessTree.kill(process);
            Thread.currentThread().interrupt();
        }
        if (termination == Termination.EXITED && cancelled.get()) {
            // The cancel callback killed it between two ticks.
            termination = Termination.CANCELLED;
        }
        joinReader(reader);
        Duration took = Duration.between(started, clock.instant());
        int exit = process.isAlive() ? -1 : process.exitValue();
        return new ProcessOutcome(termination, exit, tail(stderrFile), took);
    }

    private Thread startReader(InputStream stdout, Consumer<String> consumer) {
        var mdc = MDC.getCopyOfContextMap();
        return Thread.ofPlatform().name(readerThreadName).daemon(true).start(() -> {
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    consumer.accept(line);
                }
            } catch (IOException e) {
                // The process was killed and its pipe closed under us; nothing more to read.
                log.debug("stdout of {} closed: {}", command.getFirst(), e.toString());
            } catch (RuntimeException e) {
                log.warn("stdout consumer of {} failed", command.getFirst(), e);
            }
        });
    }

    private void joinReader(Thread reader) {
        if (reader == null) {
            return;
        }
        try {
            // The pipe closes when the process (and any child holding it) is gone, which ends the reader.
            reader.join(READER_JOIN_MILLIS);
            if (reader.isAlive()) {
                log.warn("reader thread {} still running after {} ms; leaving it (daemon)", reader.getName(),
                        READER_JOIN_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String tail(Path file) {
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
        private Path stderrFile;
        private Path stdoutFile;
        private Consumer<String> stdoutLines;
        private String readerThreadName = "worker-video-stdout";
        private Duration timeLimit;
        private Liveness liveness = Liveness.ALWAYS;
        private Duration tick = MAX_TICK;
        private Clock clock = Clock.systemUTC();

        private Builder(List<String> command) {
            if (command.isEmpty()) {
                throw new IllegalArgumentException("empty command");
            }
            this.command = command;
        }

        public Builder stderrTo(Path file) {
            this.stderrFile = file;
            return this;
        }

        public Builder stdoutTo(Path file) {
            this.stdoutFile = file;
            return this;
        }

        public Builder stdoutLines(String threadName, Consumer<String> consumer) {
            this.readerThreadName = threadName;
            this.stdoutLines = consumer;
            return this;
        }

        public Builder timeLimit(Duration limit) {
            this.timeLimit = limit;
            return this;
        }

        /** Killed as STALLED when this says it stopped advancing; the tick shrinks to see it in time. */
        public Builder liveness(Liveness liveness, Duration stallTimeout) {
            this.liveness = liveness;
            Duration quarter = stallTimeout.dividedBy(4);
            this.tick = quarter.compareTo(MAX_TICK) < 0 ? quarter.compareTo(Duration.ofMillis(10)) < 0
                    ? Duration.ofMillis(10) : quarter : MAX_TICK;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public SupervisedProcess build() {
            return new SupervisedProcess(this);
        }
    }
}
