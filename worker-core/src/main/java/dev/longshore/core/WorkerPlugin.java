package dev.longshore.core;

import dev.longshore.core.gate.ReceiveGate;
import dev.longshore.core.job.JobHandler;
import java.util.List;
import java.util.Objects;

/**
 * The parts a worker adds to the runtime.
 *
 * @param handler    runs the jobs
 * @param gates      all must be open for the worker to receive (e.g. the GPU gate)
 * @param extensions started after the worker is READY-capable, closed after it TERMINATED
 */
public record WorkerPlugin(JobHandler handler, List<ReceiveGate> gates, List<WorkerExtension> extensions) {
    public WorkerPlugin {
        Objects.requireNonNull(handler, "handler");
        gates = List.copyOf(gates);
        extensions = List.copyOf(extensions);
    }

    public static WorkerPlugin of(JobHandler handler) {
        return new WorkerPlugin(handler, List.of(), List.of());
    }
}
