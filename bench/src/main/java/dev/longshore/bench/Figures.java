package dev.longshore.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Repeated measurements of each figure for each peer, reported as min and median. */
final class Figures {
    private final Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();

    synchronized void add(String figure, String peer, double value) {
        values.computeIfAbsent(figure, f -> new LinkedHashMap<>()).computeIfAbsent(peer, p -> new ArrayList<>()).add(value);
    }

    synchronized List<String> figures() {
        return new ArrayList<>(values.keySet());
    }

    synchronized List<Double> get(String figure, String peer) {
        return values.getOrDefault(figure, Map.of()).getOrDefault(peer, List.of());
    }

    static double min(List<Double> v) {
        return v.stream().filter(d -> !d.isNaN()).mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(List<Double> v) {
        return v.stream().filter(d -> !d.isNaN()).mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    static double median(List<Double> v) {
        double[] d = v.stream().filter(x -> !x.isNaN()).mapToDouble(Double::doubleValue).sorted().toArray();
        if (d.length == 0) {
            return Double.NaN;
        }
        return d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
    }
}
