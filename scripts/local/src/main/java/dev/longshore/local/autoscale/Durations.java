package dev.longshore.local.autoscale;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the workers write them ({@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, bare seconds) and as reports print them. */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");

    private Durations() {
    }

    /** Parses {@code 250ms}, {@code 2.5s}, {@code 5m}, {@code 1h}, {@code 1d} or bare seconds; throws naming what is expected. */
    public static Duration parse(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a duration (expected e.g. 250ms, 30s, 5m, 1h or seconds)");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double seconds = switch (unit) {
            case "ms" -> value / 1000;
            case "m" -> value * 60;
            case "h" -> value * 3600;
            case "d" -> value * 86400;
            default -> value;
        };
        return ofSeconds(seconds);
    }

    public static Duration ofSeconds(double seconds) {
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    public static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    public static String format(Duration d) {
        return format(seconds(d));
    }

    /** {@code 850ms}, {@code 4.2s}, {@code 3m 20s}, {@code 2h 05m}: short, and exact enough to compare by eye. */
    public static String format(double seconds) {
        if (Double.isNaN(seconds)) {
            return "-";
        }
        if (seconds < 1) {
            return Math.round(seconds * 1000) + "ms";
        }
        if (seconds < 60) {
            String s = String.format(Locale.ROOT, "%.1f", seconds);
            return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s) + "s";
        }
        long total = Math.round(seconds);
        if (total < 3600) {
            return total / 60 + "m " + String.format(Locale.ROOT, "%02ds", total % 60);
        }
        long minutes = Math.round(seconds / 60);
        return minutes / 60 + "h " + String.format(Locale.ROOT, "%02dm", minutes % 60);
    }

    /** A number without a needless {@code .0}: {@code 20}, {@code 12.5}. */
    public static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.1f", value);
    }
}
