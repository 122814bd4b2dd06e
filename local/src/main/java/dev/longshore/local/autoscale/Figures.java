package dev.longshore.local.autoscale;

import dev.longshore.core.config.Durations;
import java.time.Duration;
import java.util.Locale;

/** Durations and numbers as the local fleet and planner read and print them: the workers' grammar in, short figures out. */
public final class Figures {

    private Figures() {
    }

    /** Parses a duration in the workers' grammar (README: Configuration); throws naming what is expected. */
    public static Duration parse(String text) {
        return Durations.parse(text).orElseThrow(() -> new IllegalArgumentException(
                "\"" + text + "\" is not a duration (expected " + Durations.FORM + ")"));
    }

    /**
     * A data column in seconds (arrival logs record measured times such as {@code 1.193}), or a duration in the
     * workers' grammar.
     */
    public static double secondsOf(String text) {
        String t = text.trim();
        if (t.matches("\\d{1,12}\\.\\d{1,9}")) {
            return Double.parseDouble(t);
        }
        return seconds(parse(t));
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
