package dev.longshore.ai.gpu;

import dev.longshore.ai.nvml.XidWatcher;
import dev.longshore.core.WorkerControl;
import dev.longshore.core.WorkerExtension;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the GPUs can still be trusted. The first fatal report (a fatal Xid, NVML_ERROR_GPU_IS_LOST) wins: the
 * gate closes for good, the instance is reported unhealthy, and the worker drains and exits 1. A report that
 * comes before the worker started is acted on when it starts.
 */
public final class GpuHealth implements WorkerExtension, XidWatcher.Listener {
    private static final Logger log = LoggerFactory.getLogger(GpuHealth.class);

    private final InstanceHealthReporter reporter;
    private final AtomicReference<String> failure = new AtomicReference<>();
    private WorkerControl control;
    private boolean restartRequested;

    public GpuHealth(InstanceHealthReporter reporter) {
        this.reporter = reporter;
    }

    /** Why the GPUs must not be used, once a fatal problem was seen. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure.get());
    }

    @Override
    public void gpuFailed(String gpuUuid, String reason) {
        if (!failure.compareAndSet(null, "GPU lost: " + reason)) {
            return;
        }
        log.error("GPU failure on {} ({}): the gate stays closed; draining and exiting 1 for a restart", gpuUuid,
                reason);
        try {
            reporter.reportUnhealthy("GPU lost: " + reason);
        } catch (RuntimeException e) {
            log.warn("Reporting the instance unhealthy failed: {}", e.toString());
        }
        restartIfStarted();
    }

    @Override
    public void start(WorkerControl control) {
        synchronized (this) {
            this.control = control;
        }
        restartIfStarted();
    }

    private void restartIfStarted() {
        WorkerControl c;
        synchronized (this) {
            if (control == null || failure.get() == null || restartRequested) {
                return;
            }
            restartRequested = true;
            c = control;
        }
        c.requestRestart(failure.get());
    }

    @Override
    public void close() {
        // nothing to stop: reports arrive on the watchers' threads
    }
}
