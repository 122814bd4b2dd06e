package dev.longshore.local.autoscale;

import java.util.Arrays;

/** Nearest-rank percentiles of a set of values (the p-th percentile is the smallest value with p% at or below it). */
public final class Percentiles {
    private final double[] sorted;

    public Percentiles(double[] values) {
        this.sorted = values.clone();
        Arrays.sort(sorted);
    }

    public int count() {
        return sorted.length;
    }

    /** NaN when there are no values. */
    public double at(double percent) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        if (!(percent > 0) || percent > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + percent);
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    public double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    public double min() {
        return sorted.length == 0 ? Double.NaN : sorted[0];
    }

    public double mean() {
        return sorted.length == 0 ? Double.NaN : Arrays.stream(sorted).sum() / sorted.length;
    }

    /** {@code p50 14.2s  p90 26s  p99 29.8s  max 30.1s}. */
    public String describe() {
        return "p50 " + Figures.format(at(50)) + "  p90 " + Figures.format(at(90)) + "  p99 "
                + Figures.format(at(99)) + "  max " + Figures.format(max());
    }
}
