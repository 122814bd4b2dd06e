package dev.longshore.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A started process and what /proc says about it. */
final class Proc implements AutoCloseable {
    /** USER_HZ on Linux. */
    private static final double TICKS_PER_SECOND = 100.0;

    final Process process;
    final long startedNanos;

    private Proc(Process process, long startedNanos) {
        this.process = process;
        this.startedNanos = startedNanos;
    }

    static Proc start(List<String> command, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        long t = System.nanoTime();
        return new Proc(pb.start(), t);
    }

    long pid() {
        return process.pid();
    }

    /** User plus system CPU seconds of the process (all its threads). */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Resident set size now, in MiB. */
    double rssMiB() {
        return status("VmRSS:");
    }

    /** Peak resident set size since start, in MiB. */
    double peakRssMiB() {
        return status("VmHWM:");
    }

    private double status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return Double.NaN;
    }

    /** SIGTERM, then the milliseconds until the process exited (or -1 if it had to be killed after the limit). */
    long sigtermAndTimeExit(long limitMs) throws InterruptedException {
        long t = System.nanoTime();
        process.destroy();
        if (!process.waitFor(limitMs, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            return -1;
        }
        return (System.nanoTime() - t) / 1_000_000;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
