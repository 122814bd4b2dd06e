package dev.longshore.ai.nvml;

/** The {@code nvmlReturn_t} values the worker treats specially. */
public final class NvmlReturn {
    public static final int SUCCESS = 0;
    public static final int UNINITIALIZED = 1;
    public static final int NOT_SUPPORTED = 3;
    public static final int NOT_FOUND = 6;
    public static final int DRIVER_NOT_LOADED = 9;
    public static final int TIMEOUT = 10;
    public static final int GPU_IS_LOST = 15;
    public static final int RESET_REQUIRED = 16;
    public static final int UNKNOWN = 999;

    private NvmlReturn() {
    }

    /** NVML's own symbolic name, for log lines and gate reasons that operators search for. */
    public static String name(int code) {
        return switch (code) {
            case SUCCESS -> "NVML_SUCCESS";
            case UNINITIALIZED -> "NVML_ERROR_UNINITIALIZED";
            case 2 -> "NVML_ERROR_INVALID_ARGUMENT";
            case NOT_SUPPORTED -> "NVML_ERROR_NOT_SUPPORTED";
            case 4 -> "NVML_ERROR_NO_PERMISSION";
            case NOT_FOUND -> "NVML_ERROR_NOT_FOUND";
            case 7 -> "NVML_ERROR_INSUFFICIENT_SIZE";
            case DRIVER_NOT_LOADED -> "NVML_ERROR_DRIVER_NOT_LOADED";
            case TIMEOUT -> "NVML_ERROR_TIMEOUT";
            case 12 -> "NVML_ERROR_LIBRARY_NOT_FOUND";
            case 13 -> "NVML_ERROR_FUNCTION_NOT_FOUND";
            case GPU_IS_LOST -> "NVML_ERROR_GPU_IS_LOST";
            case RESET_REQUIRED -> "NVML_ERROR_RESET_REQUIRED";
            case UNKNOWN -> "NVML_ERROR_UNKNOWN";
            default -> "NVML_ERROR_" + code;
        };
    }

    /** Codes that mean the GPU itself is gone, not that one read failed. */
    public static boolean meansGpuLost(int code) {
        return code == GPU_IS_LOST;
    }
}
