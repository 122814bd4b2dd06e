package dev.longshore.ai.gpu;

/** Hands a job the GPUs it runs on: the {@link GpuGate} in the GPU flavour. */
@FunctionalInterface
public interface GpuAllocator {
    /**
     * @throws GpuUnavailableException when fewer than {@code count} GPUs qualify now (the job is retried later)
     */
    GpuLease acquire(int count) throws GpuUnavailableException;
}
