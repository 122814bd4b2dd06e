package dev.longshore.core.runtime;

import dev.longshore.core.job.JobContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The runtime side of {@link JobContext}: cancellation, progress and manual visibility for one message. */
final class JobContextImpl implements JobContext {
    private static final Logger log = LoggerFactory.getLogger(JobContextImpl.class);

    private final String workerName;
    private final InFlightMessage message;
    private final BiConsumer<InFlightMessage, Duration> extender;
    private final BooleanSupplier workerDraining;
    private final List<Runnable> cancelActions = new ArrayList<>();
    private final List<Runnable> drainActions = new ArrayList<>();
    private boolean drainNotified;
    private volatile boolean cancelled;
    private volatile double progress;

    JobContextImpl(String workerName, InFlightMessage message, BiConsumer<InFlightMessage, Duration> extender,
                   BooleanSupplier workerDraining) {
        this.workerName = workerName;
        this.message = message;
        this.extender = extender;
        this.workerDraining = workerDraining;
    }

    @Override
    public boolean isDraining() {
        return workerDraining.getAsBoolean();
    }

    @Override
    public void onDrain(Runnable action) {
        boolean runNow;
        synchronized (drainActions) {
            runNow = drainNotified || workerDraining.getAsBoolean();
            if (runNow) {
                drainNotified = true;
            } else {
                drainActions.add(action);
            }
        }
        if (runNow) {
            runSafely(action);
        }
    }

    /** The worker started draining: runs the drain actions registered so far, once. */
    void drainStarted() {
        List<Runnable> toRun;
        synchronized (drainActions) {
            if (drainNotified) {
                return;
            }
            drainNotified = true;
            toRun = new ArrayList<>(drainActions);
            drainActions.clear();
        }
        toRun.forEach(JobContextImpl::runSafely);
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void onCancel(Runnable action) {
        boolean runNow;
        synchronized (cancelActions) {
            runNow = cancelled;
            if (!runNow) {
                cancelActions.add(action);
            }
        }
        if (runNow) {
            runSafely(action);
        }
    }

    /** Marks the job cancelled and runs its cancel actions once. */
    void cancel() {
        List<Runnable> toRun;
        synchronized (cancelActions) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toRun = new ArrayList<>(cancelActions);
            cancelActions.clear();
        }
        toRun.forEach(JobContextImpl::runSafely);
    }

    private static void runSafely(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.warn("cancel action failed: {}", e.toString());
        }
    }

    @Override
    public void progress(double fraction) {
        if (Double.isNaN(fraction)) {
            return;
        }
        this.progress = Math.max(0, Math.min(1, fraction));
    }

    double progress() {
        return progress;
    }

    @Override
    public void extendVisibility(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("visibility extension must be positive: " + duration);
        }
        extender.accept(message, duration);
    }

    @Override
    public String workerName() {
        return workerName;
    }
}
