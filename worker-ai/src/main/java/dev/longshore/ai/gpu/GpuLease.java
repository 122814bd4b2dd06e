package dev.longshore.ai.gpu;

import java.util.List;

/** The GPUs (or MIG instances) one job runs on, until closed. */
public final class GpuLease implements AutoCloseable {
    private final List<String> uuids;
    private final Runnable release;
    private boolean closed;

    GpuLease(List<String> uuids, Runnable release) {
        this.uuids = List.copyOf(uuids);
        this.release = release;
    }

    /** A lease of nothing: the job runs without a GPU. */
    public static GpuLease none() {
        return new GpuLease(List.of(), () -> { });
    }

    public List<String> uuids() {
        return uuids;
    }

    /** The value for CUDA_VISIBLE_DEVICES: UUIDs, so a renumbering of devices cannot move the job. */
    public String cudaVisibleDevices() {
        return String.join(",", uuids);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            release.run();
        }
    }
}
