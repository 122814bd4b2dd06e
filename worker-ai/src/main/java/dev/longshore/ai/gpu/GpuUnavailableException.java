package dev.longshore.ai.gpu;

/** No GPU satisfies the requirements right now; the reason names each GPU's problem. */
public final class GpuUnavailableException extends Exception {
    public GpuUnavailableException(String reason) {
        super(reason);
    }
}
