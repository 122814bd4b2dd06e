package dev.longshore.core.runtime;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A bounded wait on a monitor for a condition that the monitor's holders change. */
final class MonitorWait {
    private MonitorWait() {
    }

    /** Waits on {@code monitor} until {@code done} holds, for changes that always notify; false on timeout. */
    static boolean until(Object monitor, Duration timeout, BooleanSupplier done) throws InterruptedException {
        return until(monitor, timeout, timeout, done);
    }

    /**
     * Waits on {@code monitor} until {@code done} holds, checked with the monitor held; re-checks at least every
     * {@code recheck} for changes that come without a notify. False when {@code timeout} passed first.
     */
    static boolean until(Object monitor, Duration timeout, Duration recheck, BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(monitor, Math.min(left, recheck.toNanos()));
            }
            return true;
        }
    }
}
