package dev.longshore.core;

import dev.longshore.core.metrics.Metrics;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** What extensions (GPU watcher, lifecycle watcher) may do to the running worker. */
public interface WorkerControl {

    WorkerState state();

    String workerName();

    Metrics metrics();

    /**
     * Stops receiving, lets running jobs finish within {@code budget}, cancels and releases the rest, flushes
     * deletes. The first drain wins: a later call returns the drain already under way. The process then exits
     * with {@code exitCode}.
     */
    CompletableFuture<DrainReport> drain(String reason, Duration budget, int exitCode);

    /** Drains within the configured drain timeout, then exits 1 so the supervisor restarts the worker. */
    default CompletableFuture<DrainReport> requestRestart(String reason) {
        return drain(reason, drainTimeout(), ExitCodes.RESTART);
    }

    Duration drainTimeout();

    /**
     * Runs {@code step} after a drain finished (jobs done or released, deletes flushed) and before the worker
     * is TERMINATED, e.g. to complete an Auto Scaling lifecycle action. Steps run in registration order; a
     * failing step is logged and the next one still runs.
     */
    void onDrained(Consumer<DrainReport> step);

    /** Number of messages received and not yet finished. */
    int inflight();
}
