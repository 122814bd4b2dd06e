package dev.longshore.core;

import dev.longshore.core.config.WorkerConfig;
import dev.longshore.core.metrics.Metrics;
import dev.longshore.core.queue.QueueClient;
import java.util.Objects;

/** {@link WorkerDefinition#of}: a definition whose parts are given, not computed. */
record SimpleWorkerDefinition(String name, int defaultConcurrency, WorkerDefinition.PluginFactory factory)
        implements WorkerDefinition {
    SimpleWorkerDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(factory, "factory");
    }

    @Override
    public WorkerPlugin create(WorkerConfig config, Metrics metrics, QueueClient queues) throws Exception {
        return factory.create(config, metrics);
    }
}
