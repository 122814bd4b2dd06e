package dev.longshore.ai.runner;

import dev.longshore.core.job.JobContext;
import dev.longshore.core.process.ProcessGroup;
import dev.longshore.core.process.ProcessOutcome;
import dev.longshore.core.process.ProcessSupervisor;
import dev.longshore.core.process.Signal;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task under the core {@link ProcessSupervisor}: its own process group, output to the job's log files,
 * the group ended (SIGTERM, then SIGKILL after the kill grace) on timeout, cancellation and at its end. When the
 * worker starts draining, the group gets the drain signal if one is configured (docs/ai.md, "Tasks").
 */
public final class ProcessRunner {
    private static final Logger log = LoggerFactory.getLogger(ProcessRunner.class);

    private final Duration killGrace;
    private final Optional<Signal> drainSignal;

    public ProcessRunner() {
        this(ProcessSupervisor.DEFAULT_KILL_GRACE, Optional.empty());
    }

    /** @param killGrace time between SIGTERM and SIGKILL for a task being stopped */
    public ProcessRunner(Duration killGrace) {
        this(killGrace, Optional.empty());
    }

    /** @param drainSignal sent to the task's group when the worker starts draining; empty: none */
    public ProcessRunner(Duration killGrace, Optional<Signal> drainSignal) {
        this.killGrace = killGrace;
        this.drainSignal = drainSignal;
    }

    public Duration killGrace() {
        return killGrace;
    }

    /**
     * @param onGroup told the task's process group id once it exists (the job directory records it)
     * @throws IOException when the program cannot be started (not found, not executable)
     */
    public RunOutcome run(ProcessSpec spec, JobContext ctx, LongConsumer onGroup) throws IOException {
        AtomicBoolean drainSignalled = new AtomicBoolean();
        // A drain that starts after the task ended must not signal a group id the system may have reused.
        AtomicBoolean running = new AtomicBoolean(true);
        ProcessOutcome outcome;
        try {
            outcome = supervise(spec, ctx, onGroup, drainSignalled, running);
        } finally {
            running.set(false);
        }
        return switch (outcome.termination()) {
            case EXITED -> ctx.isCancelled() ? new RunOutcome.Cancelled(outcome.took())
                    : new RunOutcome.Exited(outcome.exitCode(), outcome.took(), drainSignalled.get());
            case TIMED_OUT, STALLED -> new RunOutcome.TimedOut(outcome.took());
            case CANCELLED -> new RunOutcome.Cancelled(outcome.took());
        };
    }

    private ProcessOutcome supervise(ProcessSpec spec, JobContext ctx, LongConsumer onGroup,
                                     AtomicBoolean drainSignalled, AtomicBoolean running) throws IOException {
        return ProcessSupervisor.builder(spec.argv())                .workDir(spec.workDir())
                .environment(spec.environment())
                .stdoutTo(spec.stdout())
                .stderrTo(spec.stderr())
                .timeLimit(spec.timeout())
                .killGrace(killGrace)
                .threadName(Thread.currentThread().getName() + "-task")
                .onStart(group -> {
                    onGroup.accept(group.pgid());
                    drainSignal.ifPresent(signal -> ctx.onDrain(() -> {
                        if (running.get()) {
                            tell(group, signal, drainSignalled);
                        }
                    }));
                })
                .build()
                .run(ctx::onCancel);
    }

    private static void tell(ProcessGroup group, Signal signal, AtomicBoolean sent) {
        log.info("worker draining: sending {} to the task's {}", signal.fullName(), group);
        sent.set(true);
        group.signal(signal);
    }
}
