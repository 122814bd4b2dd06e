package dev.longshore.ai.gpu;

import dev.longshore.ai.nvml.NvmlException;
import dev.longshore.ai.nvml.Topology;
import dev.longshore.core.WorkerControl;
import dev.longshore.core.WorkerExtension;
import dev.longshore.core.concurrent.PeriodicTask;
import dev.longshore.core.concurrent.Sleeper;
import dev.longshore.core.config.Durations;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts the worker when the GPUs it started with are no longer the GPUs it has (docs/ai.md: Topology self-healing): a MIG
 * instance created or destroyed, MIG switched on or off, a GPU gone or added. CUDA contexts and
 * CUDA_VISIBLE_DEVICES pinned at start would otherwise point at devices that no longer exist.
 *
 * <p>At start it records the GPU count and every GPU and MIG UUID; after the cooldown it compares every interval.
 * Only identity counts: temperature, utilisation, memory and P-state changes are never compared. A mismatch logs
 * the documented INFO line and asks for a restart (drain, exit 1). A failed read counts towards the failure
 * threshold and only that many consecutive failures restart; a read that works resets the count. While NVML has
 * never worked (no driver) there is nothing to compare and nothing to restart for: the gate keeps the worker
 * paused instead.
 */
public final class TopologyWatcher implements WorkerExtension {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    /** GPU setup scripts (MIG partitioning at boot) often finish after the worker starts; give them a minute. */
    public static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(60);
    public static final int DEFAULT_FAILURE_THRESHOLD = 3;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(TopologyWatcher.class);

    private final TopologySource source;
    private final int failureThreshold;
    private final PeriodicTask schedule;
    private WorkerControl control;
    private Topology baseline;
    private int failures;
    private long checks;

    public TopologyWatcher(TopologySource source, Duration interval, Duration cooldown, int failureThreshold,
                           Clock clock, Sleeper sleeper, String threadName) {
        this.source = Objects.requireNonNull(source);
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failureThreshold must be at least 1: " + failureThreshold);
        }
        this.failureThreshold = failureThreshold;
        this.schedule = new PeriodicTask(threadName, cooldown, interval, clock, sleeper);
    }

    @Override
    public synchronized void start(WorkerControl control) {
        if (schedule.started()) {
            return;
        }
        this.control = control;
        baseline = readBaseline();
        schedule.start(this::check);
    }

    private Topology readBaseline() {
        try {
            Topology t = source.read();
            log.info("GPU topology at start: {} GPU(s), UUIDs {}; checking every {} after {}", t.gpuCount(),
                    t.uuidList(), Durations.format(schedule.interval()), Durations.format(schedule.firstDelay()));
            return t;
        } catch (NvmlException e) {
            log.warn("GPU topology unreadable at start, will record it once NVML answers: {}", e.getMessage());
            return null;
        }
    }

    /** One comparison; false once a restart was requested (nothing left to watch). */
    boolean check() {
        Topology current;
        synchronized (this) {
            checks++;
        }
        try {
            current = source.read();
        } catch (NvmlException e) {
            return failed(e);
        }
        synchronized (this) {
            failures = 0;
            if (baseline == null) {
                baseline = current;
                log.info("GPU topology recorded: {} GPU(s), UUIDs {}", current.gpuCount(), current.uuidList());
                return true;
            }
            if (current.equals(baseline)) {
                return true;
            }
        }
        log.info("[GPU-Watcher] MIG configuration change detected (Old UUIDs: " + baseline.uuidList()
                + ", New UUIDs: " + current.uuidList() + "). Initiating self-restart.");
        control.requestRestart("GPU topology changed");
        return false;
    }

    private boolean failed(NvmlException e) {
        if (e.sessionClosed() || schedule.closed()) {
            return false; // the worker is shutting down
        }
        int n;
        synchronized (this) {
            if (baseline == null) {
                log.debug("GPU topology still unreadable: {}", e.getMessage());
                return true;
            }
            n = ++failures;
        }
        if (n < failureThreshold) {
            log.warn("GPU topology check failed ({} of {} before a restart): {}", n, failureThreshold, e.getMessage());
            return true;
        }
        log.error("GPU topology check failed {} times in a row, last: {}. Initiating self-restart.", n,
                e.getMessage());
        control.requestRestart("NVML failed " + n + " consecutive GPU topology checks: " + e.getMessage());
        return false;
    }

    /** Checks made so far, for tests and the metric. */
    public synchronized long checks() {
        return checks;
    }

    /** Waits for the watcher's thread to end by itself (tests: a fake sleeper ends the simulated run). */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return schedule.awaitEnd(timeout);
    }

    @Override
    public void close() {
        // Interrupted: an NVML read under way, or an injected sleeper's wait, is abandoned rather than waited for.
        if (!schedule.interruptAndClose(CLOSE_WAIT)) {
            log.warn("GPU topology watcher did not stop within {} s", CLOSE_WAIT.toSeconds());
        }
    }
}
