package dev.longshore.core;

import java.util.Objects;

/**
 * A worker's name and default concurrency held as values, so that a concrete worker writes only how it builds its
 * parts ({@link #create}): the two are constants of each worker, not something it computes.
 */
public abstract class AbstractWorkerDefinition implements WorkerDefinition {
    private final String name;
    private final int defaultConcurrency;

    protected AbstractWorkerDefinition(String name, int defaultConcurrency) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaultConcurrency = defaultConcurrency;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int defaultConcurrency() {
        return defaultConcurrency;
    }
}
