package dev.longshore.core.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A worker running as its own JVM, started from the test class path, output captured to files. */
public final class ChildWorker implements AutoCloseable {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ChildWorker(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static ChildWorker start(String mainClass, Map<String, String> env) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), mainClass));
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile("worker-out", ".log");
        Path err = Files.createTempFile("worker-err", ".log");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        return new ChildWorker(pb.start(), out, err);
    }

    public Process process() {
        return process;
    }

    /** Sends SIGTERM (Process.destroy is SIGTERM on Linux). */
    public void sigterm() {
        process.destroy();
    }

    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("worker did not exit within " + timeout + "; stdout:\n" + stdout() + "\nstderr:\n" + stderr());
        }
        return process.exitValue();
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "<unreadable: " + e + ">";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        new File(stdout.toString()).delete();
        new File(stderr.toString()).delete();
    }
}
