package dev.longshore.ai.nvml;

import java.util.ArrayList;
import java.util.List;

/** Every GPU on the machine as NVML reported it at one moment. */
public record GpuSnapshot(List<GpuInfo> gpus) {
    public GpuSnapshot {
        gpus = List.copyOf(gpus);
    }

    /** The GPU count and every GPU and MIG instance UUID: what the topology watcher compares. */
    public Topology topology() {
        List<String> uuids = new ArrayList<>();
        for (GpuInfo gpu : gpus) {
            uuids.add(gpu.uuid());
            gpu.migInstances().forEach(m -> uuids.add(m.uuid()));
        }
        return new Topology(gpus.size(), uuids);
    }
}
