package dev.longshore.ai.gpu;

/**
 * What a GPU must offer before the worker takes a job for it.
 *
 * @param minFreeMemory  bytes that must be free on the unit (WORKER_GPU_MIN_FREE_MEMORY)
 * @param maxTemperature hottest acceptable core temperature in °C (WORKER_GPU_MAX_TEMPERATURE)
 */
public record GpuRequirements(long minFreeMemory, int maxTemperature) {
}
