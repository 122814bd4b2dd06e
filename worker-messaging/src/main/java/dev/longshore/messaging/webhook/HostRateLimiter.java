package dev.longshore.messaging.webhook;

import dev.longshore.core.concurrent.Sleeper;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Requests per second per destination host, in this process (docs/messaging.md: Rate limit). A job waits in
 * place for its turn instead of handing its message back: giving a message back costs one of its receives, and a
 * queue with a low maxReceiveCount would dead-letter deliveries that were never attempted.
 *
 * <p>Each host is a GCRA bucket: one "theoretical arrival time" per host. A caller reserves the next free slot
 * and sleeps until it, so waiters are served in the order they asked and never wake to compete for one token.
 * A host whose bucket is full again is idle: forgetting it changes nothing, so idle hosts are evicted, and the map
 * never holds more than {@code maxHosts} hosts.
 */
final class HostRateLimiter {
    /** Hosts remembered at most; beyond it idle hosts go first, then the least recently used. */
    static final int DEFAULT_MAX_HOSTS = 10_000;
    /** How often idle hosts are swept out when the map is below its bound. */
    static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

    /**
     * The answer to a reservation.
     *
     * @param granted    a slot was reserved; the caller may send after {@code waitNanos}
     * @param waitNanos  how long until the slot (granted) or until the next free slot (refused)
     */
    record Reservation(boolean granted, long waitNanos) {
    }

    private final double ratePerSecond;
    private final long intervalNanos;
    private final long toleranceNanos;
    private final int maxHosts;
    private final LongSupplier nanoTime;
    /** Sleeps for a reservation's wait; a fake that moves {@code nanoTime} in tests. */
    private final Sleeper sleeper;
    /** Host to theoretical arrival time, least recently used first. Guarded by {@code this}. */
    private final LinkedHashMap<String, Long> arrival = new LinkedHashMap<>(16, 0.75f, true);
    private long lastSweep;

    /**
     * @param ratePerSecond requests per second per host; 0 or less means no limit
     */
    HostRateLimiter(double ratePerSecond, int maxHosts, LongSupplier nanoTime, Sleeper sleeper) {
        this.ratePerSecond = ratePerSecond;
        this.intervalNanos = ratePerSecond > 0 ? Math.max(1, (long) (1e9 / ratePerSecond)) : 0;
        // A burst of one second's worth (at least one request) may go at once after a quiet spell.
        double burst = Math.max(1, ratePerSecond);
        this.toleranceNanos = (long) ((burst - 1) * intervalNanos);
        this.maxHosts = maxHosts;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.lastSweep = nanoTime.getAsLong();
    }

    boolean limited() {
        return ratePerSecond > 0;
    }

    double ratePerSecond() {
        return ratePerSecond;
    }

    /** Reserves the next slot for {@code host} if it comes within {@code maxWaitNanos}; otherwise reserves nothing. */
    synchronized Reservation reserve(String host, long maxWaitNanos) {
        if (!limited()) {
            return new Reservation(true, 0);
        }
        long now = nanoTime.getAsLong();
        Long known = arrival.get(host);
        long tat = known == null || known - now < 0 ? now : known;
        long wait = Math.max(0, tat - toleranceNanos - now);
        if (wait > maxWaitNanos) {
            return new Reservation(false, wait);
        }
        arrival.put(host, tat + intervalNanos);
        evict(now);
        return new Reservation(true, wait);
    }

    /**
     * Waits for {@code host}'s next slot, up to {@code maxWait}.
     *
     * @return how long it waited, in nanoseconds; or, when the slot is further away than {@code maxWait}, minus the
     *         time until that slot, without waiting or reserving
     * @throws InterruptedException when the job is cancelled while waiting (the drain deadline passed)
     */
    long acquire(String host, Duration maxWait) throws InterruptedException {
        Reservation r = reserve(host, maxWait.toNanos());
        if (!r.granted()) {
            return -Math.max(1, r.waitNanos());
        }
        if (r.waitNanos() > 0) {
            sleeper.sleep(Duration.ofNanos(r.waitNanos()));
        }
        return r.waitNanos();
    }

    synchronized int hostsRemembered() {
        return arrival.size();
    }

    /** A host whose arrival time has passed has a full bucket: forgetting it is the same as keeping it. */
    private void evict(long now) {
        boolean due = now - lastSweep >= SWEEP_INTERVAL.toNanos();
        if (arrival.size() <= maxHosts && !due) {
            return;
        }
        lastSweep = now;
        arrival.values().removeIf(tat -> tat - now <= 0);
        Iterator<Map.Entry<String, Long>> eldest = arrival.entrySet().iterator();
        while (arrival.size() > maxHosts && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
        }
    }
}
