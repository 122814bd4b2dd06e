package dev.longshore.core;

import dev.longshore.core.config.WorkerConfig;
import dev.longshore.core.metrics.Metrics;
import dev.longshore.core.queue.QueueClient;

/** A concrete worker: its name, its default concurrency and how to build its parts from the configuration. */
public interface WorkerDefinition {

    /** Short name used in logs, thread names and metrics dimensions, e.g. {@code messaging}. */
    String name();

    /** Used when WORKER_CONCURRENCY is unset: I/O-bound workers want dozens, CPU-bound ones a few. */
    int defaultConcurrency();

    /**
     * Reads the worker's own variables from {@link WorkerConfig#env()} and builds its parts. Workers that send
     * messages themselves (result queues) use the worker's {@code queues} client, which they must not close;
     * the others ignore it.
     *
     * @throws dev.longshore.core.config.ConfigException for an invalid worker-specific setting (exit 2)
     */
    WorkerPlugin create(WorkerConfig config, Metrics metrics, QueueClient queues) throws Exception;

    /**
     * A worker that is no more than its name, its default concurrency and how it builds its plugin, as the
     * benchmark and test workers are.
     */
    static WorkerDefinition of(String name, int defaultConcurrency, PluginFactory factory) {
        return new SimpleWorkerDefinition(name, defaultConcurrency, factory);
    }

    /** Builds the parts of a worker that needs no queue client of its own. */
    @FunctionalInterface
    interface PluginFactory {
        WorkerPlugin create(WorkerConfig config, Metrics metrics) throws Exception;
    }
}
