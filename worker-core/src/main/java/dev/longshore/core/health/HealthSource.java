package dev.longshore.core.health;

import dev.longshore.core.WorkerState;

/** What the health endpoint reports; implemented by the worker. */
public interface HealthSource {
    WorkerState state();

    /** Why the worker is not READY; empty when it is. */
    String reason();

    /** False when the worker's loop has stopped making progress (wedged), whatever the state. */
    boolean live();

    String metricsText();
}
