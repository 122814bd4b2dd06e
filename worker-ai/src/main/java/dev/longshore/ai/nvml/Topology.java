package dev.longshore.ai.nvml;

import java.util.List;

/**
 * What must not change while the worker runs: the GPU count and the UUIDs of every GPU and MIG instance.
 * Temperatures, utilisation, memory and P-states are deliberately not part of it.
 */
public record Topology(int gpuCount, List<String> uuids) {
    public Topology {
        uuids = uuids.stream().sorted().toList();
    }

    /** The list as the topology-change log line prints it (docs/ai.md: Topology self-healing): sorted, comma-separated, in brackets. */
    public String uuidList() {
        return "[" + String.join(", ", uuids) + "]";
    }
}
