package dev.longshore.ai.gpu;

import dev.longshore.ai.nvml.GpuSnapshot;
import dev.longshore.ai.nvml.NvmlException;
import dev.longshore.core.gate.GateStatus;
import dev.longshore.core.gate.ReceiveGate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens only while some GPU or MIG instance is healthy, has WORKER_GPU_MIN_FREE_MEMORY free and is no hotter
 * than WORKER_GPU_MAX_TEMPERATURE; closed, the worker is PAUSED and receives nothing. The same decision picks
 * the GPU a job is pinned to ({@link #acquire(int)}), so a job lands where the gate saw room.
 *
 * <p>NVML is read at most once per {@link #REFRESH_INTERVAL} for the gate (the runtime asks before every
 * receive); a job start always reads afresh.
 */
public final class GpuGate implements ReceiveGate, GpuAllocator {
    /** NVML reads take microseconds to milliseconds; once a second keeps them off the receive path's budget. */
    public static final Duration REFRESH_INTERVAL = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(GpuGate.class);

    private final SnapshotSource source;
    private final GpuRequirements requirements;
    private final GpuHealth health;
    private final Clock clock;
    private final Duration refreshInterval;
    private final Map<String, Integer> jobsPerUnit = new HashMap<>();
    private Instant lastRead;
    private GateStatus status;
    private GpuSelection selection = new GpuSelection(List.of(), List.of());

    public GpuGate(SnapshotSource source, GpuRequirements requirements, GpuHealth health, Clock clock) {
        this(source, requirements, health, clock, REFRESH_INTERVAL);
    }

    GpuGate(SnapshotSource source, GpuRequirements requirements, GpuHealth health, Clock clock,
            Duration refreshInterval) {
        this.source = Objects.requireNonNull(source);
        this.requirements = Objects.requireNonNull(requirements);
        this.health = Objects.requireNonNull(health);
        this.clock = Objects.requireNonNull(clock);
        this.refreshInterval = refreshInterval;
    }

    @Override
    public GateStatus check() {
        try {
            if (health.failure().isPresent()) {
                return GateStatus.closed(health.failure().get());
            }
            synchronized (this) {
                Instant now = clock.instant();
                if (status == null || lastRead == null || !now.isBefore(lastRead.plus(refreshInterval))) {
                    refresh(now);
                }
                return status;
            }
        } catch (RuntimeException e) {
            // A gate must answer; an unexpected error keeps the worker paused with the reason visible.
            return GateStatus.closed("GPU check failed: " + e);
        }
    }

    /**
     * Reserves {@code count} units for one job, best first, from a fresh read of NVML.
     *
     * @throws GpuUnavailableException when fewer than {@code count} units qualify now
     */
    @Override
    public GpuLease acquire(int count) throws GpuUnavailableException {
        if (count <= 0) {
            return GpuLease.none();
        }
        synchronized (this) {
            refresh(clock.instant());
            if (health.failure().isPresent()) {
                throw new GpuUnavailableException(health.failure().get());
            }
            if (!status.isOpen()) {
                throw new GpuUnavailableException(status.reason());
            }
            List<GpuUnit> usable = selection.usable();
            if (usable.size() < count) {
                throw new GpuUnavailableException("the task needs " + count + " GPUs and " + usable.size()
                        + " qualify now (" + usable.stream().map(GpuUnit::uuid).toList() + ")"
                        + (selection.problems().isEmpty() ? "" : "; " + String.join("; ", selection.problems())));
            }
            List<String> chosen = usable.subList(0, count).stream().map(GpuUnit::uuid).toList();
            chosen.forEach(u -> jobsPerUnit.merge(u, 1, Integer::sum));
            return new GpuLease(chosen, () -> release(chosen));
        }
    }

    private synchronized void release(List<String> uuids) {
        for (String u : uuids) {
            jobsPerUnit.computeIfPresent(u, (k, n) -> n > 1 ? n - 1 : null);
        }
    }

    /** The units that qualified at the last read, best first (for metrics and logs). */
    public synchronized List<GpuUnit> usableUnits() {
        return selection.usable();
    }

    private void refresh(Instant now) {
        lastRead = now;
        GateStatus next;
        try {
            GpuSnapshot snapshot = source.snapshot();
            selection = GpuSelection.of(snapshot, requirements, Map.copyOf(jobsPerUnit));
            next = selection.usable().isEmpty() ? GateStatus.closed(selection.reason()) : GateStatus.open();
        } catch (NvmlException e) {
            selection = new GpuSelection(List.of(), List.of(e.getMessage()));
            if (e.gpuLost()) {
                health.gpuFailed("unknown GPU", e.getMessage());
                next = GateStatus.closed(health.failure().orElse("GPU lost: " + e.getMessage()));
            } else {
                next = GateStatus.closed("GPU not usable: " + e.getMessage());
            }
        }
        // Log transitions only: while closed the reason's free-memory figures move with every read.
        if (status == null || status.isOpen() != next.isOpen()) {
            if (next.isOpen()) {
                log.info("GPU gate open: {} usable ({})", selection.usable().size(),
                        selection.usable().stream().map(GpuUnit::uuid).toList());
            } else {
                log.info("GPU gate closed: {}", next.reason());
            }
        } else if (!next.isOpen() && !status.reason().equals(next.reason())) {
            log.debug("GPU gate still closed: {}", next.reason());
        }
        status = next;
    }
}
