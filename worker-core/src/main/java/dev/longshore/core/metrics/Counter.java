package dev.longshore.core.metrics;

import java.util.concurrent.atomic.LongAdder;

/** A monotonically increasing count. */
public final class Counter {
    private final LongAdder value = new LongAdder();

    public void increment() {
        value.increment();
    }

    public void add(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("a counter only grows: " + n);
        }
        value.add(n);
    }

    public long value() {
        return value.sum();
    }
}
