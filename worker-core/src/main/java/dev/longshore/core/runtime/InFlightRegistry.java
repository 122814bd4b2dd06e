package dev.longshore.core.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every message this worker holds, and the permits that bound how many it may hold. One permit per message,
 * taken before receive and returned when the message leaves: so the poller asks SQS only for as many messages
 * as there are free slots, and a drain is complete when every permit is back.
 */
final class InFlightRegistry {
    private final int capacity;
    private final Semaphore permits;
    private final Map<String, InFlightMessage> messages = new ConcurrentHashMap<>();
    private final Object changed = new Object();
    private final ReentrantLock gatherLock = new ReentrantLock();
    private volatile boolean idleWaiter;

    InFlightRegistry(int capacity) {
        this.capacity = capacity;
        this.permits = new Semaphore(capacity);
    }

    /**
     * Waits up to {@code timeout} for at least one free slot, then takes as many as are free up to {@code max}.
     *
     * @return the number of permits taken, 0 when none freed up in time
     */
    int acquireUpTo(int max, Duration timeout) throws InterruptedException {
        return acquireUpTo(max, timeout, Duration.ZERO);
    }

    /**
     * As {@link #acquireUpTo(int, Duration)}, then, while fewer than {@code max} are held and jobs are still
     * running, waits up to {@code gather} for more: one receive of ten costs the same request as a receive of
     * one. One caller gathers at a time, so several pollers fill their batches one after another instead of
     * splitting the freed slots between them (README: Performance).
     */
    int acquireUpTo(int max, Duration timeout, Duration gather) throws InterruptedException {
        long start = System.nanoTime();
        if (!gatherLock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return 0;
        }
        try {
            long left = timeout.toNanos() - (System.nanoTime() - start);
            if (!permits.tryAcquire(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                return 0;
            }
            int taken = 1;
            long deadline = System.nanoTime() + gather.toNanos();
            while (taken < max) {
                // Free slots first: a job may have ended since the last look, and then no job holds that slot any more.
                if (permits.tryAcquire()) {
                    taken++;
                    continue;
                }
                long wait = deadline - System.nanoTime();
                if (heldByOthers(taken) <= 0 || wait <= 0 || !permits.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
                    break;
                }
                taken++;
            }
            return taken;
        } finally {
            gatherLock.unlock();
        }
    }

    /** Slots held by running jobs (or other pollers), besides the {@code mine} this caller holds. */
    private int heldByOthers(int mine) {
        return capacity - permits.availablePermits() - mine;
    }

    void releasePermits(int n) {
        if (n > 0) {
            permits.release(n);
        }
    }

    /** Tracks a received message; its permit was taken by the poller. */
    void add(InFlightMessage m) {
        messages.put(m.id(), m);
        if (idleWaiter) {
            synchronized (changed) {
                changed.notifyAll();
            }
        }
    }

    /**
     * Waits while no message is held, up to {@code timeout}: the visibility heartbeat sleeps here when the worker
     * is idle instead of waking every few seconds (README: Performance, idle CPU). True when a message is held.
     */
    boolean awaitAny(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changed) {
            // Set before the check, read by add() after its put: either the check sees the message or add() notifies.
            idleWaiter = true;
            try {
                while (messages.isEmpty()) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        return false;
                    }
                    changed.wait(left);
                }
                return true;
            } finally {
                idleWaiter = false;
            }
        }
    }

    /**
     * Returns a message's permit once its job has ended, before its delete is confirmed: the delete is batched
     * and must not hold back the next receive. The message stays tracked (and its visibility extended) until
     * {@link #remove}.
     */
    void releaseSlot(InFlightMessage m) {
        if (m.holdsSlot.compareAndSet(true, false)) {
            permits.release();
        }
    }

    /** Forgets a message and returns its permit if it still holds one; safe to call twice. */
    void remove(InFlightMessage m) {
        if (messages.remove(m.id(), m)) {
            releaseSlot(m);
            synchronized (changed) {
                changed.notifyAll();
            }
        }
    }

    List<InFlightMessage> snapshot() {
        return new ArrayList<>(messages.values());
    }

    int size() {
        return messages.size();
    }

    int capacity() {
        return capacity;
    }

    /** Waits until no message is held or the timeout passes; true when empty. */
    boolean awaitEmpty(Duration timeout) throws InterruptedException {
        return MonitorWait.until(changed, timeout, messages::isEmpty);
    }

    /** Waits until no message is in the given phases, or the timeout passes. */
    boolean awaitNone(Duration timeout, InFlightMessage.Phase... phases) throws InterruptedException {
        // Phase changes do not always remove a message, so re-check at least every 50 ms.
        return MonitorWait.until(changed, timeout, Duration.ofMillis(50), () -> !anyIn(phases));
    }

    void signal() {
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    private boolean anyIn(InFlightMessage.Phase... phases) {
        for (InFlightMessage m : messages.values()) {
            InFlightMessage.Phase p = m.phase.get();
            for (InFlightMessage.Phase wanted : phases) {
                if (p == wanted) {
                    return true;
                }
            }
        }
        return false;
    }
}
