package dev.longshore.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A worker running as a JVM of its own, started either from a main class on the current class path (tests) or
 * from a runnable jar as operators start it ({@code java -jar}). Its stdout (JSON log lines) and stderr are read
 * line by line by two named threads that end with the process; tests wait on lines, never on time.
 *
 * <p>The child gets only the environment it is given plus {@code PATH} and {@code HOME}: no AWS profile,
 * region or credentials leak in from the machine running the tests.
 */
public final class WorkerProcess implements AutoCloseable {
    /** A stdout line and when it was read (System.nanoTime), for tests that measure between two lines. */
    public record Line(String text, long atNanos) {
    }

    /** {@code GET /health/ready}: status code and JSON body. */
    public record Readiness(int status, JsonNode body) {
        public String state() {
            return body.path("state").asText();
        }

        public String reason() {
            return body.path("reason").asText();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Lines kept in memory; a long local-fleet run keeps only the newest (the log file has all). */
    private static final int MAX_LINES_KEPT = 200_000;
    /** How long the readers may take to drain the pipes once the process has exited. */
    private static final Duration PIPE_DRAIN = Duration.ofSeconds(5);

    private final String name;
    private final Process process;
    private final long startedNanos = System.nanoTime();
    private final List<Line> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();

    private WorkerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /** A JVM running {@code mainClass} from this JVM's class path. */
    public static Builder mainClass(Class<?> mainClass) {
        return new Builder(mainClass.getSimpleName(), List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
    }

    /** Starts {@code mainClass} from this JVM's class path with exactly {@code env} (plus PATH and HOME). */
    public static WorkerProcess start(Class<?> mainClass, Map<String, String> env) throws IOException {
        return mainClass(mainClass).env(env).start();
    }

    /** A JVM running {@code java -jar jar}, as in the container images. */
    public static Builder jar(Path jar) {
        return new Builder(jar.getFileName().toString(), List.of("-jar", jar.toString()));
    }

    /** How the child is started. */
    public static final class Builder {
        private String name;
        private final List<String> target;
        private final List<String> jvmFlags = new ArrayList<>(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED"));
        private final Map<String, String> env = new LinkedHashMap<>();
        private boolean inheritEnvironment;
        private Path logFile;
        private Consumer<String> onStdout = line -> { };
        private Consumer<String> onStderr = line -> { };

        private Builder(String name, List<String> target) {
            this.name = name;
            this.target = target;
        }

        public Builder name(String name) {
            this.name = Objects.requireNonNull(name);
            return this;
        }

        public Builder env(Map<String, String> values) {
            env.putAll(values);
            return this;
        }

        public Builder jvmFlags(List<String> flags) {
            jvmFlags.clear();
            jvmFlags.addAll(flags);
            return this;
        }

        /** Starts from this process's environment instead of only PATH and HOME (the local run, not tests). */
        public Builder inheritEnvironment() {
            this.inheritEnvironment = true;
            return this;
        }

        /** Also writes every stdout line to this file. */
        public Builder logFile(Path file) {
            this.logFile = file;
            return this;
        }

        public Builder onStdout(Consumer<String> listener) {
            this.onStdout = listener;
            return this;
        }

        public Builder onStderr(Consumer<String> listener) {
            this.onStderr = listener;
            return this;
        }

        public WorkerProcess start() throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmFlags);
            command.addAll(target);
            ProcessBuilder pb = new ProcessBuilder(command);
            Map<String, String> childEnv = new HashMap<>(inheritEnvironment ? System.getenv() : Map.of());
            childEnv.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            childEnv.put("HOME", System.getProperty("java.io.tmpdir"));
            childEnv.putAll(env);
            pb.environment().clear();
            pb.environment().putAll(childEnv);
            Writer log = null;
            if (logFile != null) {
                Files.createDirectories(logFile.toAbsolutePath().getParent());
                log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
            }
            WorkerProcess wp = new WorkerProcess(name, pb.start());
            wp.readStdout(log, onStdout);
            wp.readStderr(onStderr);
            return wp;
        }
    }

    private void readStdout(Writer log, Consumer<String> listener) {
        readers.add(Thread.ofPlatform().name("child-" + name + "-stdout").daemon().start(() -> {
            try (Writer closing = log) {
                forEachLine(process.getInputStream(), line -> {
                    if (closing != null) {
                        try {
                            closing.write(line);
                            closing.write('\n');
                            closing.flush();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                    synchronized (this) {
                        if (out.size() >= MAX_LINES_KEPT) {
                            out.remove(0);
                        }
                        out.add(new Line(line, System.nanoTime()));
                        notifyAll();
                    }
                    listener.accept(line);
                });
            } catch (IOException | UncheckedIOException ignored) {
                // the process ended, or the log file went away with it
            }
        }));
    }

    private void readStderr(Consumer<String> listener) {
        readers.add(Thread.ofPlatform().name("child-" + name + "-stderr").daemon().start(() -> forEachLine(
                process.getErrorStream(), line -> {
                    synchronized (this) {
                        err.add(line);
                        notifyAll();
                    }
                    listener.accept(line);
                })));
    }

    private static void forEachLine(InputStream stream, Consumer<String> sink) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                sink.accept(line);
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    public String name() {
        return name;
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long startedNanos() {
        return startedNanos;
    }

    /**
     * SIGTERM, as {@code docker stop} sends it. Through the ProcessHandle: {@code Process.destroy()} also closes
     * our ends of the pipes, and the lines the worker writes while it drains would be lost.
     */
    public void sigterm() {
        process.toHandle().destroy();
    }

    /** SIGKILL. */
    public void sigkill() {
        process.toHandle().destroyForcibly();
    }

    /** Waits for the exit and for the readers to drain the pipes; fails with the output when it does not exit. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + timeout + "\nstdout:\n" + stdout()
                    + "\nstderr:\n" + stderr());
        }
        for (Thread reader : readers) {
            reader.join(PIPE_DRAIN.toMillis());
        }
        return process.exitValue();
    }

    /** SIGTERM, then SIGKILL when it has not exited within {@code grace}; the exit code. */
    public int stop(Duration grace) throws InterruptedException {
        sigterm();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            sigkill();
            process.waitFor();
        }
        for (Thread reader : readers) {
            reader.join(PIPE_DRAIN.toMillis());
        }
        return process.exitValue();
    }

    /** Waits for a stdout line matching {@code match}; null when none came in time. */
    public synchronized Line awaitLine(Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Line l : out) {
                if (match.test(l.text())) {
                    return l;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
    }

    /** Waits until {@code count} stdout lines contain {@code text}. */
    public synchronized boolean awaitCount(String text, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lines(text).size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
        return true;
    }

    /** Waits for a log line whose {@code msg} matches; fails with the log so far when none does in time. */
    public String awaitLog(Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                for (String m : messages()) {
                    if (match.test(m)) {
                        return m;
                    }
                }
                if (!process.isAlive() && readersDone()) {
                    throw new AssertionError(name + " exited with " + process.exitValue()
                            + " before the expected log line; log: " + messages() + " stderr: " + stderr());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching log line within " + timeout + "; log: " + messages());
                }
                wait(Math.min(100, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
            }
        }
    }

    private boolean readersDone() {
        return readers.stream().noneMatch(Thread::isAlive);
    }

    /** Stdout lines that contain {@code text}. */
    public synchronized List<Line> lines(String text) {
        return out.stream().filter(l -> l.text().contains(text)).toList();
    }

    /** The {@code msg} of every JSON log line so far (a line that is not JSON as it is). */
    public synchronized List<String> messages() {
        List<String> msgs = new ArrayList<>();
        for (Line line : out) {
            try {
                JsonNode n = JSON.readTree(line.text());
                msgs.add(n != null && n.has("msg") ? n.get("msg").asText() : line.text());
            } catch (IOException notJson) {
                msgs.add(line.text());
            }
        }
        return msgs;
    }

    /** Stdout as written (JSON lines). */
    public synchronized List<String> rawLog() {
        return out.stream().map(Line::text).toList();
    }

    public synchronized String stdout() {
        StringBuilder b = new StringBuilder();
        out.forEach(l -> b.append(l.text()).append('\n'));
        return b.toString();
    }

    public synchronized String stderr() {
        return err.isEmpty() ? "" : String.join("\n", err) + "\n";
    }

    public synchronized List<String> stderrLines() {
        return List.copyOf(err);
    }

    /** {@code GET /health/ready} on the worker's health port. */
    public Readiness readiness(int port) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return new Readiness(r.statusCode(), JSON.readTree(r.body()));
        }
    }

    /** Polls readiness until it matches; fails with the log when the worker exits or time runs out. */
    public Readiness awaitReadiness(int port, Predicate<Readiness> match, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Readiness last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = readiness(port);
                if (match.test(last)) {
                    return last;
                }
            } catch (IOException notUpYet) {
                // the health endpoint starts a moment after the JVM
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + "; log: " + messages());
            }
            synchronized (this) {
                wait(50);
            }
        }
        throw new AssertionError("readiness never matched within " + timeout + ", last " + last + "; log: " + messages());
    }

    /** Ends the process if it still runs: SIGTERM, then SIGKILL after 10 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop(Duration.ofSeconds(10));
        }
    }
}
