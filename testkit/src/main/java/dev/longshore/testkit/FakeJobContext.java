package dev.longshore.testkit;

import dev.longshore.core.job.JobContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link JobContext} for handler tests: records progress and visibility requests; the test starts the drain
 * and cancels the job as the worker would (drain actions run; at the deadline cancel callbacks run and the
 * bound job thread is interrupted).
 */
public final class FakeJobContext implements JobContext {
    private final String workerName;
    private final List<Runnable> onCancel = new ArrayList<>();
    private final List<Double> progress = new CopyOnWriteArrayList<>();
    private final List<Duration> extensions = new CopyOnWriteArrayList<>();
    private final List<Runnable> onDrain = new ArrayList<>();
    private volatile boolean cancelled;
    private volatile boolean draining;
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

    public void cancel() {
        List<Runnable> callbacks;
        synchronized (this) {
            cancelled = true;
            callbacks = List.copyOf(onCancel);
        }
        if (jobThread != null) {
            jobThread.interrupt();
        }
        callbacks.forEach(Runnable::run);
    }

    /** The worker starts draining: runs the drain actions, as the runtime does. */
    public void startDrain() {
        List<Runnable> callbacks;
        synchronized (this) {
            draining = true;
            callbacks = List.copyOf(onDrain);
            onDrain.clear();
        }
        callbacks.forEach(Runnable::run);
    }

    @Override
    public boolean isDraining() {
        return draining;
    }

    @Override
    public void onDrain(Runnable action) {
        boolean now;
        synchronized (this) {
            now = draining;
            if (!now) {
                onDrain.add(action);
            }
        }
        if (now) {
            action.run();
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void onCancel(Runnable action) {
        boolean now;
        synchronized (this) {
            now = cancelled;
            if (!now) {
                onCancel.add(action);
            }
        }
        if (now) {
            action.run();
        }
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
