package dev.longshore.ai.gpu;

import dev.longshore.ai.nvml.GpuSnapshot;
import dev.longshore.ai.nvml.NvmlException;

/** Where the gate reads the GPUs from: {@code Nvml::snapshot} in the worker. */
@FunctionalInterface
public interface SnapshotSource {
    GpuSnapshot snapshot() throws NvmlException;
}
