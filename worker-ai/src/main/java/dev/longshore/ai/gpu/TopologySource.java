package dev.longshore.ai.gpu;

import dev.longshore.ai.nvml.NvmlException;
import dev.longshore.ai.nvml.Topology;

/** Where the topology watcher reads GPU count and UUIDs from: {@code Nvml::topology} in the worker. */
@FunctionalInterface
public interface TopologySource {
    Topology read() throws NvmlException;
}
