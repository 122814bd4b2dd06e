package dev.longshore.ai.testing;

import dev.longshore.core.job.JobContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A job context whose drain start and cancellation the test triggers, as the worker would. */
public final class FakeJobContext implements JobContext {
    private final List<Runnable> onCancel = new ArrayList<>();
    private final List<Runnable> onDrain = new ArrayList<>();
    private volatile boolean cancelled;
    private volatile boolean draining;
    private volatile Thread jobThread;

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
    }

    @Override
    public void extendVisibility(Duration duration) {
    }

    @Override
    public String workerName() {
        return "ai";
    }
}
