package dev.longshore.local.autoscale;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When jobs arrive, written as comma-separated segments:
 * <ul>
 *   <li>{@code 120@0} - 120 jobs at once at time 0 (a burst)</li>
 *   <li>{@code 300@9h-10h} - 300 jobs spread evenly over an hour</li>
 *   <li>{@code 2/s@0-10m}, {@code 30/m@1h-2h}, {@code 500/h@0-24h} - a steady rate between two times</li>
 * </ul>
 * Times are durations from the start ({@code 0}, {@code 90s}, {@code 5m}, {@code 9h}). Spread and rate segments are
 * evenly spaced, so a hand calculation matches; with {@code poisson} they are a Poisson process of the same rate
 * (random, from the seed).
 */
public final class LoadShape {
    private static final Pattern BURST = Pattern.compile("(\\d+)@([^-]+)");
    private static final Pattern SPREAD = Pattern.compile("(\\d+)@([^-]+)-(.+)");
    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)/([smh])@([^-]+)-(.+)");

    private record Segment(double from, double to, long count, double ratePerSecond) {
    }

    private final String text;
    private final List<Segment> segments;

    private LoadShape(String text, List<Segment> segments) {
        this.text = text;
        this.segments = segments;
    }

    public static LoadShape parse(String text) {
        List<Segment> segments = new ArrayList<>();
        for (String raw : text.split(",")) {
            String s = raw.trim().toLowerCase(Locale.ROOT).replace(" ", "");
            if (s.isEmpty()) {
                continue;
            }
            try {
                segments.add(segment(s));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("segment \"" + raw.trim() + "\": " + e.getMessage()
                        + " (expected N@T, N@T1-T2 or R/s@T1-T2, e.g. 120@0 or 2/s@0-10m)");
            }
        }
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("\"" + text + "\" has no segment (expected e.g. 120@0 or 2/s@0-10m)");
        }
        return new LoadShape(text.trim(), List.copyOf(segments));
    }

    private static Segment segment(String s) {
        Matcher rate = RATE.matcher(s);
        if (rate.matches()) {
            double perUnit = Double.parseDouble(rate.group(1));
            double unit = switch (rate.group(2)) {
                case "m" -> 60;
                case "h" -> 3600;
                default -> 1;
            };
            double from = time(rate.group(3));
            double to = time(rate.group(4));
            checkOrder(from, to);
            double perSecond = perUnit / unit;
            if (!(perSecond > 0)) {
                throw new IllegalArgumentException("the rate must be positive");
            }
            return new Segment(from, to, (long) Math.floor((to - from) * perSecond + 1e-9), perSecond);
        }
        Matcher spread = SPREAD.matcher(s);
        if (spread.matches()) {
            double from = time(spread.group(2));
            double to = time(spread.group(3));
            checkOrder(from, to);
            long n = count(spread.group(1));
            return new Segment(from, to, n, n / (to - from));
        }
        Matcher burst = BURST.matcher(s);
        if (burst.matches()) {
            double at = time(burst.group(2));
            return new Segment(at, at, count(burst.group(1)), Double.POSITIVE_INFINITY);
        }
        throw new IllegalArgumentException("not understood");
    }

    private static long count(String digits) {
        long n = Long.parseLong(digits);
        if (n < 1 || n > 50_000_000) {
            throw new IllegalArgumentException("the job count must be 1 to 50000000, was " + n);
        }
        return n;
    }

    private static double time(String t) {
        return Figures.seconds(Figures.parse(t));
    }

    private static void checkOrder(double from, double to) {
        if (!(to > from)) {
            throw new IllegalArgumentException("the end must be after the start");
        }
    }

    /** Arrival times in seconds, sorted; the same seed gives the same times. */
    public double[] arrivals(boolean poisson, SplittableRandom random) {
        double[] all = new double[0];
        int n = 0;
        for (Segment seg : segments) {
            double[] times = times(seg, poisson, random);
            if (n + times.length > all.length) {
                all = Arrays.copyOf(all, Math.max(n + times.length, all.length * 2));
            }
            System.arraycopy(times, 0, all, n, times.length);
            n += times.length;
        }
        double[] out = Arrays.copyOf(all, n);
        Arrays.sort(out);
        return out;
    }

    private static double[] times(Segment seg, boolean poisson, SplittableRandom random) {
        if (seg.from == seg.to) {
            double[] t = new double[(int) seg.count];
            Arrays.fill(t, seg.from);
            return t;
        }
        if (!poisson) {
            double[] t = new double[(int) seg.count];
            double gap = (seg.to - seg.from) / seg.count;
            for (int i = 0; i < t.length; i++) {
                t[i] = seg.from + i * gap;
            }
            return t;
        }
        double[] t = new double[16];
        int n = 0;
        double now = seg.from;
        while (true) {
            now += -Math.log(1 - random.nextDouble()) / seg.ratePerSecond;
            if (now >= seg.to) {
                break;
            }
            if (n == t.length) {
                t = Arrays.copyOf(t, n * 2);
            }
            t[n++] = now;
        }
        return Arrays.copyOf(t, n);
    }

    /**
     * The highest arrival rate the spread and rate segments keep up together (jobs per second), the load a fleet
     * must carry in steady state; bursts are left out (a backlog drains, a rate does not). 0 when there are only
     * bursts.
     */
    public double peakSteadyRate() {
        double peak = 0;
        for (Segment at : segments) {
            if (at.from == at.to) {
                continue;
            }
            double sum = 0;
            for (Segment seg : segments) {
                if (seg.from != seg.to && seg.from <= at.from && at.from < seg.to) {
                    sum += seg.ratePerSecond;
                }
            }
            peak = Math.max(peak, sum);
        }
        return peak;
    }

    /** True when some segment is a burst (all its jobs at one instant). */
    public boolean hasBursts() {
        return segments.stream().anyMatch(seg -> seg.from == seg.to);
    }

    @Override
    public String toString() {
        return text;
    }
}
