package dev.longshore.ai.nvml;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The worker's NVML session: loads the library once, initialises NVML on first use (again after a failed
 * attempt, so a driver that loads after the worker started is picked up), and turns return codes into
 * {@link NvmlException}s that say which call failed and why. Safe for concurrent use; {@link #close()} waits
 * for calls in progress, so nvmlShutdown never races a call on another thread.
 *
 * <p>A library that cannot be loaded is not an error here: {@link #unavailableReason()} says why, and every
 * call throws an {@link NvmlException} with that reason, so the gate can report it and keep the worker paused.
 */
public final class Nvml implements AutoCloseable {
    /** The versioned name the driver installs; loaded through the system loader, so LD_LIBRARY_PATH applies. */
    public static final String DEFAULT_LIBRARY = "libnvidia-ml.so.1";

    private final String library;
    private final NvmlLibrary lib;
    private final String unavailable;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Object initLock = new Object();
    private boolean initialized;
    private boolean closed;

    private Nvml(String library, NvmlLibrary lib, String unavailable) {
        this.library = library;
        this.lib = lib;
        this.unavailable = unavailable;
    }

    /** Loads {@code library} (a path or a name for the system loader), or {@link #DEFAULT_LIBRARY}. */
    public static Nvml load(Optional<String> library) {
        String name = library.orElse(DEFAULT_LIBRARY);
        try {
            return new Nvml(name, Native.load(name, NvmlLibrary.class), null);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return new Nvml(name, null, "NVML library " + name + " could not be loaded (no NVIDIA driver on this "
                    + "machine? WORKER_NVML_LIBRARY names another file): " + firstLines(e.getMessage()));
        }
    }

    /** Why NVML cannot be used at all, or empty when the library loaded (NVML may still fail to initialise). */
    public Optional<String> unavailableReason() {
        return Optional.ofNullable(unavailable);
    }

    public String library() {
        return library;
    }

    /** Every GPU with memory, temperature, utilisation, ECC counts and MIG instances. */
    public GpuSnapshot snapshot() throws NvmlException {
        return read(true);
    }

    /** Only what identifies the GPUs (count, UUIDs, MIG instances): cheaper than a full snapshot. */
    public Topology topology() throws NvmlException {
        return read(false).topology();
    }

    /** Registers every GPU that supports it for critical Xid events. */
    public XidEvents openXidEvents() throws NvmlException {
        lock.readLock().lock();
        try {
            ready();
            PointerByReference setRef = new PointerByReference();
            check("nvmlEventSetCreate", call(() -> lib.nvmlEventSetCreate(setRef)));
            Pointer set = setRef.getValue();
            Map<Pointer, String> registered = new LinkedHashMap<>();
            List<String> unsupported = new ArrayList<>();
            try {
                int count = deviceCount();
                for (int i = 0; i < count; i++) {
                    Pointer device = handle(i);
                    String uuid = uuid(device);
                    if (register(device, set)) {
                        registered.put(device, uuid);
                    } else {
                        unsupported.add(uuid);
                    }
                }
            } catch (NvmlException | RuntimeException e) {
                call(() -> lib.nvmlEventSetFree(set));
                throw e;
            }
            return new XidEvents(this, set, registered, unsupported);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** False when the device cannot report critical Xid events (some consumer boards). */
    private boolean register(Pointer device, Pointer set) throws NvmlException {
        LongByReference types = new LongByReference();
        int rc = call(() -> lib.nvmlDeviceGetSupportedEventTypes(device, types));
        if (rc == NvmlReturn.NOT_SUPPORTED) {
            return false;
        }
        check("nvmlDeviceGetSupportedEventTypes", rc);
        if ((types.getValue() & NvmlLibrary.NVML_EVENT_TYPE_XID_CRITICAL_ERROR) == 0) {
            return false;
        }
        rc = call(() -> lib.nvmlDeviceRegisterEvents(device, NvmlLibrary.NVML_EVENT_TYPE_XID_CRITICAL_ERROR, set));
        if (rc == NvmlReturn.NOT_SUPPORTED) {
            return false;
        }
        check("nvmlDeviceRegisterEvents", rc);
        return true;
    }

    /** Waits up to {@code timeoutMs} for the next event; empty on timeout or for event types other than Xid. */
    Optional<XidEvent> waitXid(XidEvents events, int timeoutMs) throws NvmlException {
        lock.readLock().lock();
        try {
            ready();
            NvmlEventData data = new NvmlEventData();
            int rc = call(() -> lib.nvmlEventSetWait_v2(events.set(), data, timeoutMs));
            if (rc == NvmlReturn.TIMEOUT) {
                return Optional.empty();
            }
            check("nvmlEventSetWait_v2", rc);
            if ((data.eventType & NvmlLibrary.NVML_EVENT_TYPE_XID_CRITICAL_ERROR) == 0) {
                return Optional.empty();
            }
            String uuid = events.registered().get(data.device);
            if (uuid == null) {
                uuid = data.device == null ? "unknown GPU" : uuidOr(data.device, "unknown GPU");
            }
            return Optional.of(new XidEvent(uuid, data.eventData));
        } finally {
            lock.readLock().unlock();
        }
    }

    void freeEvents(XidEvents events) {
        lock.readLock().lock();
        try {
            if (!closed && initialized) {
                call(() -> lib.nvmlEventSetFree(events.set()));
            }
        } catch (NvmlException e) {
            // the session is going away; nothing left to free
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Shuts NVML down once calls in progress have returned; idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (initialized) {
                initialized = false;
                try {
                    call(lib::nvmlShutdown);
                } catch (NvmlException ignored) {
                    // nothing more to do at shutdown
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private GpuSnapshot read(boolean full) throws NvmlException {
        lock.readLock().lock();
        try {
            ready();
            int count = deviceCount();
            List<GpuInfo> gpus = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                gpus.add(gpu(i, full));
            }
            return new GpuSnapshot(gpus);
        } finally {
            lock.readLock().unlock();
        }
    }

    private GpuInfo gpu(int index, boolean full) throws NvmlException {
        Pointer device = handle(index);
        String uuid = uuid(device);
        GpuInfo.MigMode mode = migMode(device);
        List<MigInstance> migs = mode == GpuInfo.MigMode.ENABLED ? migInstances(device, full) : List.of();
        if (!full) {
            return new GpuInfo(index, uuid, mode, 0, 0, OptionalInt.empty(), OptionalInt.empty(),
                    OptionalLong.empty(), migs);
        }
        NvmlMemory memory = memory(device);
        IntByReference temp = new IntByReference();
        OptionalInt temperature = optional("nvmlDeviceGetTemperature",
                call(() -> lib.nvmlDeviceGetTemperature(device, NvmlLibrary.NVML_TEMPERATURE_GPU, temp)))
                ? OptionalInt.of(temp.getValue()) : OptionalInt.empty();
        NvmlUtilization util = new NvmlUtilization();
        OptionalInt utilization = optional("nvmlDeviceGetUtilizationRates",
                call(() -> lib.nvmlDeviceGetUtilizationRates(device, util)))
                ? OptionalInt.of(util.gpu) : OptionalInt.empty();
        LongByReference ecc = new LongByReference();
        OptionalLong eccErrors = optional("nvmlDeviceGetTotalEccErrors", call(() -> lib.nvmlDeviceGetTotalEccErrors(
                device, NvmlLibrary.NVML_MEMORY_ERROR_TYPE_UNCORRECTED, NvmlLibrary.NVML_VOLATILE_ECC, ecc)))
                ? OptionalLong.of(ecc.getValue()) : OptionalLong.empty();
        return new GpuInfo(index, uuid, mode, memory.total, memory.free, temperature, utilization, eccErrors, migs);
    }

    private List<MigInstance> migInstances(Pointer device, boolean full) throws NvmlException {
        IntByReference max = new IntByReference();
        check("nvmlDeviceGetMaxMigDeviceCount", call(() -> lib.nvmlDeviceGetMaxMigDeviceCount(device, max)));
        List<MigInstance> migs = new ArrayList<>();
        for (int slot = 0; slot < max.getValue(); slot++) {
            PointerByReference ref = new PointerByReference();
            int s = slot;
            int rc = call(() -> lib.nvmlDeviceGetMigDeviceHandleByIndex(device, s, ref));
            if (rc == NvmlReturn.NOT_FOUND) {
                continue; // an empty slot: no instance was created there
            }
            check("nvmlDeviceGetMigDeviceHandleByIndex", rc);
            Pointer mig = ref.getValue();
            String uuid = uuid(mig);
            if (full) {
                NvmlMemory memory = memory(mig);
                migs.add(new MigInstance(uuid, slot, memory.total, memory.free));
            } else {
                migs.add(new MigInstance(uuid, slot, 0, 0));
            }
        }
        return migs;
    }

    private GpuInfo.MigMode migMode(Pointer device) throws NvmlException {
        IntByReference current = new IntByReference();
        IntByReference pending = new IntByReference();
        int rc = call(() -> lib.nvmlDeviceGetMigMode(device, current, pending));
        if (rc == NvmlReturn.NOT_SUPPORTED) {
            return GpuInfo.MigMode.NOT_SUPPORTED;
        }
        check("nvmlDeviceGetMigMode", rc);
        return current.getValue() == NvmlLibrary.NVML_DEVICE_MIG_ENABLE ? GpuInfo.MigMode.ENABLED
                : GpuInfo.MigMode.DISABLED;
    }

    private NvmlMemory memory(Pointer device) throws NvmlException {
        NvmlMemory memory = new NvmlMemory();
        check("nvmlDeviceGetMemoryInfo", call(() -> lib.nvmlDeviceGetMemoryInfo(device, memory)));
        return memory;
    }

    private int deviceCount() throws NvmlException {
        IntByReference count = new IntByReference();
        check("nvmlDeviceGetCount_v2", call(() -> lib.nvmlDeviceGetCount_v2(count)));
        return count.getValue();
    }

    private Pointer handle(int index) throws NvmlException {
        PointerByReference ref = new PointerByReference();
        check("nvmlDeviceGetHandleByIndex_v2", call(() -> lib.nvmlDeviceGetHandleByIndex_v2(index, ref)));
        return ref.getValue();
    }

    private String uuid(Pointer device) throws NvmlException {
        byte[] buffer = new byte[NvmlLibrary.UUID_BUFFER_SIZE];
        check("nvmlDeviceGetUUID", call(() -> lib.nvmlDeviceGetUUID(device, buffer, buffer.length)));
        int end = 0;
        while (end < buffer.length && buffer[end] != 0) {
            end++;
        }
        return new String(buffer, 0, end, StandardCharsets.US_ASCII);
    }

    private String uuidOr(Pointer device, String fallback) {
        try {
            return uuid(device);
        } catch (NvmlException e) {
            return fallback;
        }
    }

    /** Initialises NVML unless done; called with the read lock held. */
    private void ready() throws NvmlException {
        if (lib == null) {
            throw new NvmlException(NvmlException.NOT_LOADED, unavailable);
        }
        if (closed) {
            throw new NvmlException(NvmlException.CLOSED, "NVML session closed");
        }
        synchronized (initLock) {
            if (!initialized) {
                check("nvmlInit_v2", call(lib::nvmlInit_v2));
                initialized = true;
            }
        }
    }

    /**
     * For readings the gate can do without (temperature, utilisation, ECC): true on success, false when the device
     * cannot give it (NOT_SUPPORTED, NO_PERMISSION on some boards...). Only a lost GPU is an error here, so an
     * unreadable statistic never closes the gate by itself.
     */
    private boolean optional(String function, int rc) throws NvmlException {
        if (rc == NvmlReturn.GPU_IS_LOST) {
            check(function, rc);
        }
        return rc == NvmlReturn.SUCCESS;
    }

    private void check(String function, int rc) throws NvmlException {
        if (rc != NvmlReturn.SUCCESS) {
            throw NvmlException.of(function, rc, errorString(rc));
        }
    }

    private String errorString(int rc) {
        try {
            String s = lib.nvmlErrorString(rc);
            return s == null ? "error " + rc : s;
        } catch (UnsatisfiedLinkError e) {
            return "error " + rc;
        }
    }

    @FunctionalInterface
    private interface NativeCall {
        int invoke();
    }

    /** A function missing from the library surfaces as UnsatisfiedLinkError on first call; report, not crash. */
    private int call(NativeCall c) throws NvmlException {
        try {
            return c.invoke();
        } catch (UnsatisfiedLinkError e) {
            throw new NvmlException(NvmlException.NOT_LOADED,
                    "NVML library " + library + " lacks a function the worker needs: " + firstLines(e.getMessage()));
        }
    }

    /** JNA's messages list every place it looked, one per line; the first two say what went wrong. */
    private static String firstLines(String message) {
        if (message == null) {
            return "no details";
        }
        String[] lines = message.strip().split("\\R");
        String text = lines.length > 1 ? lines[0] + " " + lines[1].strip() : lines[0];
        return text.length() > 400 ? text.substring(0, 400) + "..." : text;
    }
}
