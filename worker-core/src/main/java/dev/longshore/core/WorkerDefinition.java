package dev.longshore.core;

import dev.longshore.core.config.WorkerConfig;
import dev.longshore.core.metrics.Metrics;

/** A concrete worker: its name, its default concurrency and how to build its parts from the configuration. */
public interface WorkerDefinition {

    /** Short name used in logs, thread names and metrics dimensions, e.g. {@code messaging}. */
    String name();

    /** Used when WORKER_CONCURRENCY is unset: I/O-bound workers want dozens, CPU-bound ones a few. */
    int defaultConcurrency();

    /**
     * Reads the worker's own variables from {@link WorkerConfig#env()} and builds its parts.
     *
     * @throws dev.longshore.core.config.ConfigException for an invalid worker-specific setting (exit 2)
     */
    WorkerPlugin create(WorkerConfig config, Metrics metrics) throws Exception;
}
