package dev.longshore.ai.nvml;

import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One physical GPU.
 *
 * @param index          NVML index
 * @param uuid           {@code GPU-...}
 * @param migMode        whether MIG is supported and on
 * @param memoryTotal    bytes
 * @param memoryFree     bytes
 * @param temperatureC   core temperature, empty where not supported
 * @param utilization    percent of time a kernel ran over the last sample period, empty where not supported
 * @param eccUncorrected volatile uncorrected ECC errors since the driver loaded, empty where ECC is off
 * @param migInstances   the MIG instances (only while MIG is enabled)
 */
public record GpuInfo(int index, String uuid, MigMode migMode, long memoryTotal, long memoryFree,
                      OptionalInt temperatureC, OptionalInt utilization, OptionalLong eccUncorrected,
                      List<MigInstance> migInstances) {
    public GpuInfo {
        migInstances = List.copyOf(migInstances);
    }

    public enum MigMode { NOT_SUPPORTED, DISABLED, ENABLED }
}
