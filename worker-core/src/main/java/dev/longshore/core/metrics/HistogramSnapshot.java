package dev.longshore.core.metrics;

/**
 * A copy of a {@link Histogram} at one moment, for publishers that send what changed between two moments
 * (CloudWatch). Lives in this package to read the histogram's buckets without widening its API.
 *
 * @param bounds     upper bounds of the finite buckets, increasing
 * @param cumulative observations at or below each bound, then all observations (the +Inf bucket)
 * @param sum        sum of all observations, in seconds
 */
public record HistogramSnapshot(double[] bounds, long[] cumulative, double sum) {
    public HistogramSnapshot {
        bounds = bounds.clone();
        cumulative = cumulative.clone();
        if (cumulative.length != bounds.length + 1) {
            throw new IllegalArgumentException("cumulative needs one entry per bound plus +Inf");
        }
    }

    public static HistogramSnapshot of(Histogram h) {
        return new HistogramSnapshot(h.bounds(), h.cumulative(), h.sum());
    }

    /** An empty snapshot with the same buckets, the baseline before anything was observed. */
    public static HistogramSnapshot empty(Histogram h) {
        return new HistogramSnapshot(h.bounds(), new long[h.bounds().length + 1], 0);
    }

    public long count() {
        return cumulative[cumulative.length - 1];
    }

    /** Observations in bucket {@code i} (the last index is the +Inf bucket), not cumulative. */
    public long inBucket(int i) {
        return i == 0 ? cumulative[0] : cumulative[i] - cumulative[i - 1];
    }
}
