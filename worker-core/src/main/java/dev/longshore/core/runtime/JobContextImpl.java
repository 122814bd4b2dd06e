package dev.longshore.core.runtime;

import dev.longshore.core.job.AbstractJobContext;
import dev.longshore.core.job.JobContext;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The runtime side of {@link JobContext}: cancellation, progress and manual visibility for one message. */
final class JobContextImpl extends AbstractJobContext {
    private static final Logger log = LoggerFactory.getLogger(JobContextImpl.class);

    private final String workerName;
    private final InFlightMessage message;
    private final BiConsumer<InFlightMessage, Duration> extender;
    private final BooleanSupplier workerDraining;
    private volatile double progress;

    JobContextImpl(String workerName, InFlightMessage message, BiConsumer<InFlightMessage, Duration> extender,
                   BooleanSupplier workerDraining) {
        super(JobContextImpl::runSafely);
        this.workerName = workerName;
        this.message = message;
        this.extender = extender;
        this.workerDraining = workerDraining;
    }

    /** The worker's state, which can be ahead of this job's drain actions. */
    @Override
    public boolean isDraining() {
        return workerDraining.getAsBoolean();
    }

    @Override
    public void onDrain(Runnable action) {
        if (workerDraining.getAsBoolean()) {
            // The worker drains but this job may have started after drainStarted() went round: run it now.
            runDrainActions();
        }
        super.onDrain(action);
    }

    /** The worker started draining: runs the drain actions registered so far, once. */
    void drainStarted() {
        runDrainActions();
    }

    /** Marks the job cancelled and runs its cancel actions once. */
    void cancel() {
        runCancelActions();
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
