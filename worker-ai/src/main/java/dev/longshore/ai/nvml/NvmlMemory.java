package dev.longshore.ai.nvml;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** {@code nvmlMemory_t}: three {@code unsigned long long}, in bytes (24 bytes, no padding). */
@FieldOrder({"total", "free", "used"})
public final class NvmlMemory extends Structure {
    public long total;
    public long free;
    public long used;
}
