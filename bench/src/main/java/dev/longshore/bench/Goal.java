package dev.longshore.bench;

import java.util.Locale;

/**
 * One of issue 15's goals checked against a measured value: a line of the report saying the value, the goal
 * and whether it was met. A value that was not measured (NaN) is neither met nor missed.
 *
 * @param atMost whether the value must stay at or under the bound (else at or over it)
 * @param unit   printed after the value and the bound ("x" for ratios)
 */
record Goal(String what, double value, boolean atMost, double bound, String unit) {

    static Goal atLeast(String what, double value, double bound, String unit) {
        return new Goal(what, value, false, bound, unit);
    }

    static Goal atMost(String what, double value, double bound, String unit) {
        return new Goal(what, value, true, bound, unit);
    }

    String verdict() {
        if (Double.isNaN(value) || Double.isInfinite(value) || Double.isNaN(bound)) {
            return "n/a";
        }
        return (atMost ? value <= bound : value >= bound) ? "met" : "missed";
    }

    String line() {
        return String.format(Locale.ROOT, "- %s: %s%s (goal %s %s%s): %s", what, number(value), unit,
                atMost ? "<=" : ">=", number(bound), unit, verdict());
    }

    /** Whole numbers for counts and milliseconds, two decimals for ratios, three under 0.1 (idle CPU seconds). */
    private static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "n/a";
        }
        double a = Math.abs(d);
        String format = a >= 100 || (a >= 1 && d == Math.rint(d)) ? "%.0f" : a >= 10 ? "%.1f" : a >= 0.1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, format, d);
    }
}
