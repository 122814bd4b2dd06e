package dev.longshore.testkit;

import dev.longshore.core.job.JobContext;
import dev.longshore.core.job.OnceActions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link JobContext} for handler tests: records progress and visibility requests; the test starts the drain
 * and cancels the job as the worker would (drain actions run; at the deadline cancel callbacks run and the
 * bound job thread is interrupted).
 */
public final class FakeJobContext implements JobContext {
    private final String workerName;
    private final OnceActions cancelActions = new OnceActions(Runnable::run);
    private final List<Double> progress = new CopyOnWriteArrayList<>();
    private final List<Duration> extensions = new CopyOnWriteArrayList<>();
    private final OnceActions drainActions = new OnceActions(Runnable::run);
    private volatile Thread jobThread;

    public FakeJobContext(String workerName) {
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
        cancelActions.happen();
        if (jobThread != null) {
            jobThread.interrupt();
        }
    }

    /** The worker starts draining: runs the drain actions, as the runtime does. */
    public void startDrain() {
        drainActions.happen();
    }

    @Override
    public boolean isDraining() {
        return drainActions.happened();
    }

    @Override
    public void onDrain(Runnable action) {
        drainActions.add(action);
    }

    @Override
    public boolean isCancelled() {
        return cancelActions.happened();
    }

    @Override
    public void onCancel(Runnable action) {
        cancelActions.add(action);
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
