package dev.longshore.core.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A counter family with labels, e.g. {@code longshore_ai_jobs_total{task="upscale",outcome="failed",error="exit_3"}}.
 * Every distinct combination of values is a series that lives as long as the process: callers keep each label to
 * a bounded set (names from configuration, codes from the code), never a value taken from a message.
 */
public final class LabelledCounter {
    private final List<String> labelNames;
    private final Map<List<String>, Counter> series = new ConcurrentHashMap<>();

    LabelledCounter(List<String> labelNames) {
        this.labelNames = List.copyOf(labelNames);
    }

    public List<String> labelNames() {
        return labelNames;
    }

    /** Creates the series at 0, so it is exported before its first event (a dashboard sees every kind). */
    public void declare(String... values) {
        series.computeIfAbsent(key(values), k -> new Counter());
    }

    /** @param values one per label, in the order the labels were declared */
    public void increment(String... values) {
        series.computeIfAbsent(key(values), k -> new Counter()).increment();
    }

    public long value(String... values) {
        Counter c = series.get(key(values));
        return c == null ? 0 : c.value();
    }

    /** Every series so far, ordered by its label values. */
    public List<Map.Entry<List<String>, Long>> snapshot() {
        List<Map.Entry<List<String>, Long>> out = new ArrayList<>();
        series.forEach((k, c) -> out.add(Map.entry(k, c.value())));
        out.sort(Comparator.comparing(e -> String.join("\u0000", e.getKey())));
        return out;
    }

    private List<String> key(String[] values) {
        if (values.length != labelNames.size()) {
            throw new IllegalArgumentException("labels " + labelNames + " need " + labelNames.size()
                    + " values, got " + Arrays.toString(values));
        }
        return List.of(values);
    }
}
