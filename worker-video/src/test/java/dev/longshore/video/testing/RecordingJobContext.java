package dev.longshore.video.testing;

import dev.longshore.core.job.JobContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A JobContext that records what the handler reported and can be cancelled like the core does at drain. */
public final class RecordingJobContext implements JobContext {
    private final List<Double> progress = new CopyOnWriteArrayList<>();
    private final List<Runnable> cancelActions = new CopyOnWriteArrayList<>();
    private volatile boolean cancelled;

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public synchronized void onCancel(Runnable action) {
        if (cancelled) {
            action.run();
        } else {
            cancelActions.add(action);
        }
    }

    public void cancel() {
        List<Runnable> actions;
        synchronized (this) {
            cancelled = true;
            actions = List.copyOf(cancelActions);
        }
        actions.forEach(Runnable::run);
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
    }

    @Override
    public String workerName() {
        return "video";
    }
}
