package dev.longshore.core.fleet;

import dev.longshore.core.WorkerControl;
import dev.longshore.core.WorkerExtension;
import dev.longshore.core.concurrent.BackgroundThread;
import dev.longshore.core.config.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@code WORKER_SCALE_IN_PROTECTION=true}: keeps a busy instance out of scale-in. Protected as soon as a job is
 * in flight; unprotected only after the worker has been idle for the whole hold period, so a queue that delivers
 * a job every few seconds does not toggle the flag (one SetInstanceProtection call per real change, none while
 * the state stays put). A worker that stops while protected lifts the protection, since nothing else would.
 *
 * <p>Until the first call the state is unknown (the group may protect new instances itself): an idle worker
 * unprotects once the hold has passed, a busy one protects.
 */
final class ScaleInProtection implements WorkerExtension {
    private static final Logger log = LoggerFactory.getLogger(ScaleInProtection.class);
    /** How often in-flight work is looked at: a counter read, short next to any scale-in decision. */
    static final Duration TICK = Duration.ofSeconds(1);
    /** After a failed call, the next try waits this long: a denied or throttled API is not hammered. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(30);

    enum Protection { UNKNOWN, PROTECTED, UNPROTECTED }

    private final FleetContext fleet;
    private final Duration idleHold;
    private final Clock clock;
    private WorkerControl control;
    private final BackgroundThread thread = new BackgroundThread();
    private Protection current = Protection.UNKNOWN;
    private Instant lastBusy;
    private Instant retryAt = Instant.MIN;
    private int calls;

    ScaleInProtection(FleetContext fleet, Duration idleHold, Clock clock) {
        this.fleet = fleet;
        this.idleHold = idleHold;
        this.clock = clock;
    }

    @Override
    public void start(WorkerControl control) {
        bind(control);
        thread.start("worker-" + control.workerName() + "-protection", this::run);
    }

    /** Takes the worker to watch; the idle hold starts now. {@link #start} does this, tests call it to tick by hand. */
    synchronized void bind(WorkerControl control) {
        this.control = control;
        lastBusy = clock.instant();
    }

    private void run() {
        MDC.put("worker", control.workerName());
        while (fleet.instanceId().isEmpty()) {
            if (fleet.offEc2() || !pause()) {
                return;
            }
        }
        log.info("scale-in protection on: protected while jobs run, lifted after {} idle", Durations.format(idleHold));
        while (!thread.closed()) {
            tick();
            if (!pause()) {
                return;
            }
        }
    }

    /** Waits one tick; false when closed meanwhile. */
    private boolean pause() {
        return thread.pause(TICK.toMillis());
    }

    /** One look at the in-flight count; calls Auto Scaling only when the wanted state differs from the known one. */
    synchronized void tick() {
        Instant now = clock.instant();
        boolean busy = control.inflight() > 0;
        if (busy) {
            lastBusy = now;
        }
        Protection wanted;
        if (busy) {
            wanted = Protection.PROTECTED;
        } else if (Duration.between(lastBusy, now).compareTo(idleHold) >= 0) {
            wanted = Protection.UNPROTECTED;
        } else {
            wanted = current;
        }
        if (wanted != current && !now.isBefore(retryAt)) {
            apply(wanted, now);
        }
    }

    private void apply(Protection wanted, Instant now) {
        Optional<String> id = fleet.instanceId();
        Optional<String> group = fleet.requireGroupName();
        if (id.isEmpty() || group.isEmpty()) {
            retryAt = now.plus(RETRY_AFTER);
            return;
        }
        boolean protect = wanted == Protection.PROTECTED;
        calls++;
        try {
            fleet.autoScaling().setInstanceProtection(group.get(), id.get(), protect);
            current = wanted;
            log.info("scale-in protection {} ({} job(s) in flight)", protect ? "set" : "lifted", control.inflight());
        } catch (RuntimeException e) {
            retryAt = now.plus(RETRY_AFTER);
            log.warn("SetInstanceProtection({}) failed: {}; next try in {}", protect,
                    ImdsInstanceMetadata.oneLine(e.getMessage()), Durations.format(RETRY_AFTER));
        }
    }

    synchronized Protection current() {
        return current;
    }

    /** SetInstanceProtection calls made so far, failed ones included. */
    synchronized int calls() {
        return calls;
    }

    @Override
    public void close() {
        thread.close(BackgroundThread.DEFAULT_CLOSE_WAIT);
        synchronized (this) {
            if (current == Protection.PROTECTED) {
                // A stopped worker cannot lift it later, and a protected idle instance is never scaled in.
                apply(Protection.UNPROTECTED, clock.instant());
            }
        }
    }
}
