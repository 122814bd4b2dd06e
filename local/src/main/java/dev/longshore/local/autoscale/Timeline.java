package dev.longshore.local.autoscale;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Queue depth and instance counts over time, kept in buckets whose width doubles whenever there are more than
 * {@link #MAX_BUCKETS}, so a day of events takes as little memory as a minute. A bucket holds the highest queue depth
 * and jobs running it saw (a chart must not hide a peak) and the instance counts at its end (they are drawn stacked,
 * so they must come from one moment); a bucket without an update holds the last state.
 */
public final class Timeline {
    static final int MAX_BUCKETS = 4096;
    private static final int SERIES = 5;
    /** Series 0 and 1 (visible, in flight) keep their maximum; the instance counts keep their latest value. */
    private static final int PEAK_SERIES = 2;

    /** One bucket: its start time, the highest queue depth and jobs running in it, the instances at its end. */
    public record Point(double t, int visible, int inFlight, int booting, int inService, int draining) {
    }

    private double width;
    private int[][] buckets = new int[SERIES][MAX_BUCKETS + 1];
    private int count;
    private final int[] last = new int[SERIES];

    public Timeline(double initialBucketSeconds) {
        if (!(initialBucketSeconds > 0)) {
            throw new IllegalArgumentException("bucket width must be positive");
        }
        this.width = initialBucketSeconds;
    }

    /** The state from time {@code t} on (times must not go backwards). */
    public void record(double t, int visible, int inFlight, int booting, int inService, int draining) {
        int index = (int) Math.floor(t / width);
        while (index >= MAX_BUCKETS) {
            halve();
            index = (int) Math.floor(t / width);
        }
        for (int i = count; i <= index; i++) {
            // buckets not touched since the last update keep the last state
            for (int s = 0; s < SERIES; s++) {
                buckets[s][i] = last[s];
            }
        }
        count = Math.max(count, index + 1);
        int[] now = {visible, inFlight, booting, inService, draining};
        for (int s = 0; s < SERIES; s++) {
            buckets[s][index] = s < PEAK_SERIES ? Math.max(buckets[s][index], now[s]) : now[s];
            last[s] = now[s];
        }
    }

    private void halve() {
        int[][] merged = new int[SERIES][MAX_BUCKETS + 1];
        for (int s = 0; s < SERIES; s++) {
            for (int i = 0; i < count; i += 2) {
                int a = buckets[s][i];
                int b = i + 1 < count ? buckets[s][i + 1] : a;
                merged[s][i / 2] = s < PEAK_SERIES ? Math.max(a, b) : b;
            }
        }
        buckets = merged;
        count = (count + 1) / 2;
        width *= 2;
    }

    public double bucketSeconds() {
        return width;
    }

    public List<Point> points() {
        List<Point> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new Point(i * width, buckets[0][i], buckets[1][i], buckets[2][i], buckets[3][i], buckets[4][i]));
        }
        return out;
    }

    /** The end of the last bucket. */
    public double end() {
        return count * width;
    }

    @Override
    public String toString() {
        return "Timeline[" + count + " buckets of " + width + " s, last " + Arrays.toString(last) + "]";
    }
}
