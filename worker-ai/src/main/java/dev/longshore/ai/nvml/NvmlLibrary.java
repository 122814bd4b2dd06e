package dev.longshore.ai.nvml;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The subset of libnvidia-ml.so.1 the worker calls, by the names the library exports (the {@code _v2} entry
 * points where NVML versioned them). Every function returns an {@code nvmlReturn_t}; handles ({@code
 * nvmlDevice_t}, {@code nvmlEventSet_t}) are opaque pointers. Unsigned C integers arrive in Java's signed types
 * and are widened by the callers.
 */
public interface NvmlLibrary extends Library {
    int NVML_TEMPERATURE_GPU = 0;
    int NVML_MEMORY_ERROR_TYPE_UNCORRECTED = 1;
    int NVML_VOLATILE_ECC = 0;
    int NVML_DEVICE_MIG_ENABLE = 1;
    long NVML_EVENT_TYPE_XID_CRITICAL_ERROR = 0x8L;
    /** nvml.h: NVML_DEVICE_UUID_V2_BUFFER_SIZE, large enough for GPU and MIG UUIDs. */
    int UUID_BUFFER_SIZE = 96;

    int nvmlInit_v2();

    int nvmlShutdown();

    String nvmlErrorString(int result);

    int nvmlDeviceGetCount_v2(IntByReference deviceCount);

    int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

    int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length);

    int nvmlDeviceGetMigMode(Pointer device, IntByReference currentMode, IntByReference pendingMode);

    int nvmlDeviceGetMaxMigDeviceCount(Pointer device, IntByReference count);

    int nvmlDeviceGetMigDeviceHandleByIndex(Pointer device, int index, PointerByReference migDevice);

    int nvmlDeviceGetMemoryInfo(Pointer device, NvmlMemory memory);

    int nvmlDeviceGetUtilizationRates(Pointer device, NvmlUtilization utilization);

    int nvmlDeviceGetTemperature(Pointer device, int sensorType, IntByReference temp);

    int nvmlDeviceGetTotalEccErrors(Pointer device, int errorType, int counterType, LongByReference eccCounts);

    int nvmlEventSetCreate(PointerByReference set);

    int nvmlDeviceGetSupportedEventTypes(Pointer device, LongByReference eventTypes);

    int nvmlDeviceRegisterEvents(Pointer device, long eventTypes, Pointer set);

    int nvmlEventSetWait_v2(Pointer set, NvmlEventData data, int timeoutMs);

    int nvmlEventSetFree(Pointer set);
}
