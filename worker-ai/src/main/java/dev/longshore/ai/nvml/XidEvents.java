package dev.longshore.ai.nvml;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.sun.jna.Pointer;

/** An NVML event set registered for critical Xid events on every GPU that supports them. */
public final class XidEvents implements AutoCloseable {
    private final Nvml nvml;
    private final Pointer set;
    private final Map<Pointer, String> registered;
    private final List<String> unsupported;
    private boolean closed;

    XidEvents(Nvml nvml, Pointer set, Map<Pointer, String> registered, List<String> unsupported) {
        this.nvml = nvml;
        this.set = set;
        this.registered = Map.copyOf(registered);
        this.unsupported = List.copyOf(unsupported);
    }

    /** Blocks up to {@code timeoutMs} for the next Xid; empty when none came. */
    public Optional<XidEvent> next(int timeoutMs) throws NvmlException {
        return nvml.waitXid(this, timeoutMs);
    }

    /** UUIDs of the GPUs being watched. */
    public List<String> watched() {
        return List.copyOf(registered.values());
    }

    /** UUIDs of GPUs that cannot report Xid events (e.g. some consumer boards). */
    public List<String> unsupported() {
        return unsupported;
    }

    Pointer set() {
        return set;
    }

    Map<Pointer, String> registered() {
        return registered;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            nvml.freeEvents(this);
        }
    }
}
