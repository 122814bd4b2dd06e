package dev.longshore.ai.nvml;

/** A critical Xid reported by the driver for one GPU. */
public record XidEvent(String gpuUuid, long xid) {
}
