package dev.longshore.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock tests move by hand, so that nothing waits for real time to pass. It counts how often it is read: a
 * component that loops on the clock reads it every turn, so "read N more times" tells a test that the loop has
 * turned since it moved the clock, which is what an assertion that something did not happen needs.
 */
public final class MutableClock extends Clock {
    private volatile Instant now;
    private final AtomicLong reads = new AtomicLong();

    public MutableClock(Instant start) {
        this.now = start;
    }

    public static MutableClock atEpoch() {
        return new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** Moves the clock forward; a negative amount is ignored (clocks the runtime reads never go back). */
    public synchronized void advance(Duration d) {
        if (!d.isNegative()) {
            now = now.plus(d);
        }
    }

    public long millis() {
        reads.incrementAndGet();
        return now.toEpochMilli();
    }

    @Override
    public Instant instant() {
        reads.incrementAndGet();
        return now;
    }

    /** How many times the time was read so far. */
    public long reads() {
        return reads.get();
    }

    /** Waits until the clock has been read {@code more} more times than now; false if that takes over {@code timeout}. */
    public boolean awaitReads(long more, Duration timeout) throws InterruptedException {
        long target = reads.get() + more;
        return TestWorkers.eventually(timeout, () -> reads.get() >= target);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
