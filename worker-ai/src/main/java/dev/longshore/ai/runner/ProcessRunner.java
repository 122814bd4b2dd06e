package dev.longshore.ai.runner;

import dev.longshore.core.job.JobContext;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a task process to its end: exit, timeout or cancellation. Output goes to files, never to pipes the
 * worker would have to drain; stdin is closed at once. A timeout or cancellation kills the whole process tree.
 */
public final class ProcessRunner {
    private final Duration killGrace;

    public ProcessRunner() {
        this(ProcessTree.DEFAULT_GRACE);
    }

    /** @param killGrace time between SIGTERM and SIGKILL for a task being stopped */
    public ProcessRunner(Duration killGrace) {
        this.killGrace = killGrace;
    }

    /** @throws IOException when the program cannot be started (not found, not executable) */
    public RunOutcome run(ProcessSpec spec, JobContext ctx) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(spec.argv())
                .directory(spec.workDir().toFile())
                .redirectOutput(spec.stdout().toFile())
                .redirectError(spec.stderr().toFile());
        pb.environment().clear();
        pb.environment().putAll(spec.environment());
        long started = System.nanoTime();
        Process process = pb.start();
        process.getOutputStream().close();
        AtomicBoolean cancelled = new AtomicBoolean();
        ctx.onCancel(() -> {
            cancelled.set(true);
            ProcessTree.kill(process.toHandle(), killGrace);
        });
        try {
            boolean exited = process.waitFor(spec.timeout().toNanos(), TimeUnit.NANOSECONDS);
            if (!exited) {
                ProcessTree.kill(process.toHandle(), killGrace);
                return new RunOutcome.TimedOut(since(started));
            }
        } catch (InterruptedException e) {
            // The drain deadline passed: the runtime interrupts the job's thread and releases the message. The
            // outcome says so; the interrupt is not re-raised here, so the FAILED marker can still be written
            // (NIO file writes fail on an interrupted thread).
            ProcessTree.kill(process.toHandle(), killGrace);
            return new RunOutcome.Cancelled(since(started));
        }
        if (cancelled.get() || ctx.isCancelled()) {
            return new RunOutcome.Cancelled(since(started));
        }
        return new RunOutcome.Exited(process.exitValue(), since(started));
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
