package dev.longshore.core.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Response header fields, looked up case-insensitively. */
public final class ResponseHeaders {
    private final Map<String, List<String>> fields = new LinkedHashMap<>();

    void add(String name, String value) {
        fields.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(value);
    }

    public Optional<String> first(String name) {
        List<String> values = fields.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public List<String> all(String name) {
        return List.copyOf(fields.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()));
    }
}
