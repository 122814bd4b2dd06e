package dev.longshore.core.fleet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A worker started as its own JVM with the test class path, as operators start it: environment only. Its stdout
 * (JSON log lines) and stderr are collected with the time each line arrived.
 */
final class ChildWorker implements AutoCloseable {
    record Line(String text, long atNanos) {
    }

    private final Process process;
    private final List<Line> out = new ArrayList<>();
    private final List<Line> err = new ArrayList<>();
    private final long startedNanos = System.nanoTime();

    private ChildWorker(Process process) {
        this.process = process;
        collect(process.getInputStream(), out, "child-stdout");
        collect(process.getErrorStream(), err, "child-stderr");
    }

    static ChildWorker start(Class<?> main, Map<String, String> env) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), main.getName());
        // Only what the test gives: no AWS profile, region or credentials leak in from the machine running it.
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().put("HOME", System.getProperty("java.io.tmpdir"));
        pb.environment().putAll(env);
        return new ChildWorker(pb.start());
    }

    private void collect(InputStream stream, List<Line> sink, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (this) {
                        sink.add(new Line(line, System.nanoTime()));
                        notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    /** Waits for a stdout line matching {@code match}; returns it, or null when the timeout passed. */
    synchronized Line awaitLine(Predicate<String> match, Duration timeout) throws InterruptedException {
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
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Waits until {@code count} stdout lines contain {@code text}. */
    boolean awaitCount(String text, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (lines(text).size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    synchronized List<Line> lines(String containing) {
        return out.stream().filter(l -> l.text().contains(containing)).toList();
    }

    /** The exit code, or -1 when the process is still running after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return -1;
        }
        // let the collectors drain the pipes
        Thread.sleep(100);
        return process.exitValue();
    }

    synchronized List<String> stderr() {
        return err.stream().map(Line::text).toList();
    }

    synchronized String stdout() {
        StringBuilder b = new StringBuilder();
        out.forEach(l -> b.append(l.text()).append('\n'));
        return b.toString();
    }

    long startedNanos() {
        return startedNanos;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
