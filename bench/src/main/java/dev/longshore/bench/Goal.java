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

    private static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "n/a";
        }
        return d == Math.rint(d) && Math.abs(d) >= 1 ? String.format(Locale.ROOT, "%.0f", d)
                : Math.abs(d) >= 1 ? String.format(Locale.ROOT, "%.2f", d) : String.format(Locale.ROOT, "%.3f", d);
    }
}
