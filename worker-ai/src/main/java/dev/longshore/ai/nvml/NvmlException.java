package dev.longshore.ai.nvml;

/** An NVML call returned an error, or NVML could not be used at all (library missing, closed). */
public final class NvmlException extends Exception {
    /** Not an nvmlReturn_t: the library could not be loaded or the session was closed. */
    public static final int NOT_LOADED = -1;
    /** Not an nvmlReturn_t: the worker is shutting down and closed its NVML session. */
    public static final int CLOSED = -2;

    private final int code;

    public NvmlException(int code, String message) {
        super(message);
        this.code = code;
    }

    static NvmlException of(String function, int code, String nvmlMessage) {
        return new NvmlException(code, function + " failed: " + nvmlMessage + " (" + NvmlReturn.name(code) + ")");
    }

    public int code() {
        return code;
    }

    public boolean sessionClosed() {
        return code == CLOSED;
    }

    public boolean gpuLost() {
        return NvmlReturn.meansGpuLost(code);
    }
}
