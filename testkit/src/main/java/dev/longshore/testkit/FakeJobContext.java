package dev.longshore.testkit;

import dev.longshore.core.job.AbstractJobContext;
import dev.longshore.core.job.JobContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link JobContext} for handler tests: records progress and visibility requests; the test starts the drain
 * and cancels the job as the worker would (drain actions run; at the deadline cancel callbacks run and the
 * bound job thread is interrupted).
 */
public final class FakeJobContext extends AbstractJobContext {
    private final String workerName;
    private final List<Double> progress = new CopyOnWriteArrayList<>();
    private final List<Duration> extensions = new CopyOnWriteArrayList<>();
    private volatile Thread jobThread;

    public FakeJobContext(String workerName) {
        super(Runnable::run);
        this.workerName = workerName;
    }

    public FakeJobContext() {
        this("test");
    }

    /** Remembers the calling thread so {@link #cancel()} can interrupt it like the runtime does. */
    public FakeJobContext bindToCurrentThread() {
        jobThread = Thread.currentThread();
        return this;
    }

    /** Cancels the job as the runtime does at the drain deadline: cancel actions run, then the job thread is interrupted. */
    public void cancel() {
        runCancelActions();
        if (jobThread != null) {
            jobThread.interrupt();
        }
    }

    /** The worker starts draining: runs the drain actions, as the runtime does. */
    public void startDrain() {
        runDrainActions();
    }

    @Override
    public void progress(double fraction) {
        if (fraction < 0 || fraction > 1) {
            throw new IllegalArgumentException("progress out of range: " + fraction);
        }
        progress.add(fraction);
    }

    public List<Double> progress() {
        return List.copyOf(progress);
    }

    @Override
    public void extendVisibility(Duration duration) {
        extensions.add(duration);
    }

    public List<Duration> extensions() {
        return List.copyOf(extensions);
    }

    @Override
    public String workerName() {
        return workerName;
    }
}
