package dev.longshore.ai.nvml;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/**
 * {@code nvmlEventData_t}: the device handle, the event type bit, its data (the Xid number for
 * XidCriticalError) and the MIG GPU/compute instance ids (0xFFFFFFFF when not attributable). 32 bytes on
 * 64-bit Linux.
 */
@FieldOrder({"device", "eventType", "eventData", "gpuInstanceId", "computeInstanceId"})
public final class NvmlEventData extends Structure {
    public Pointer device;
    public long eventType;
    public long eventData;
    public int gpuInstanceId;
    public int computeInstanceId;
}
