package dev.longshore.ai.nvml;

/** A MIG device: a slice of a GPU with its own UUID ({@code MIG-...}) and memory. */
public record MigInstance(String uuid, int slot, long memoryTotal, long memoryFree) {
}
