package dev.longshore.ai.nvml;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** {@code nvmlUtilization_t}: two {@code unsigned int} percentages over the last sample period (8 bytes). */
@FieldOrder({"gpu", "memory"})
public final class NvmlUtilization extends Structure {
    public int gpu;
    public int memory;
}
