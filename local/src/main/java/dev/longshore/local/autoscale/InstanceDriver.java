package dev.longshore.local.autoscale;

import java.io.IOException;

/** Starts the worker of a launched instance once its boot delay is over. */
public interface InstanceDriver {
    WorkerHandle start(String instanceId) throws IOException;
}
