package dev.longshore.infra;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps in a fixed order. {@code Map.of} iterates in an order that changes from one JVM to the next, and the CDK
 * writes dimensions and metric ids in iteration order: the committed template must not change between syntheses.
 */
final class Ordered {
    private Ordered() {
    }

    /** keysAndValues: alternating keys and values. */
    static <V> Map<String, V> map(Object... keysAndValues) {
        Map<String, V> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            @SuppressWarnings("unchecked")
            V value = (V) keysAndValues[i + 1];
            map.put((String) keysAndValues[i], value);
        }
        return map;
    }
}
