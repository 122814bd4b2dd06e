package dev.longshore.core.metrics;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** Fixed-bucket histogram of seconds, cumulative on export as Prometheus expects. */
public final class Histogram {
    /** From 5 ms (webhooks) to an hour (transcodes). */
    public static final double[] DEFAULT_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
            60, 120, 300, 600, 1800, 3600};

    private final double[] bounds;
    private final AtomicLongArray counts;
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();

    public Histogram(double[] bounds) {
        this.bounds = bounds.clone();
        for (int i = 1; i < this.bounds.length; i++) {
            if (this.bounds[i] <= this.bounds[i - 1]) {
                throw new IllegalArgumentException("bucket bounds must increase: " + Arrays.toString(bounds));
            }
        }
        this.counts = new AtomicLongArray(bounds.length);
    }

    public void observe(double seconds) {
        int i = Arrays.binarySearch(bounds, seconds);
        int bucket = i >= 0 ? i : -i - 1;
        if (bucket < bounds.length) {
            counts.incrementAndGet(bucket);
        }
        count.increment();
        sum.add(seconds);
    }

    public long count() {
        return count.sum();
    }

    public double sum() {
        return sum.sum();
    }

    public double mean() {
        long c = count();
        return c == 0 ? 0 : sum() / c;
    }

    double[] bounds() {
        return bounds.clone();
    }

    /** Cumulative counts per bound, the last element being the +Inf bucket (everything). */
    long[] cumulative() {
        long[] out = new long[bounds.length + 1];
        long running = 0;
        for (int i = 0; i < bounds.length; i++) {
            running += counts.get(i);
            out[i] = running;
        }
        out[bounds.length] = count();
        return out;
    }
}
