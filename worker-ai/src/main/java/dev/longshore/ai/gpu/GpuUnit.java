package dev.longshore.ai.gpu;

import java.util.OptionalInt;

/**
 * Something a job can be pinned to with CUDA_VISIBLE_DEVICES: a whole GPU, or a MIG instance when the GPU is
 * partitioned (the parent GPU itself cannot run CUDA work then).
 *
 * @param uuid         {@code GPU-...} or {@code MIG-...}
 * @param gpuUuid      the physical GPU (the same as uuid for a whole GPU)
 * @param memoryFree   bytes free on the unit
 * @param temperatureC the physical GPU's temperature, empty where NVML cannot read it
 */
public record GpuUnit(String uuid, String gpuUuid, long memoryTotal, long memoryFree, OptionalInt temperatureC) {
}
