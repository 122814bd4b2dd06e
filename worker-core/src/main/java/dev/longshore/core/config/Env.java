package dev.longshore.core.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed, validating reads of environment variables. Every parse error becomes a {@link ConfigException}
 * naming the variable, so each worker's own settings fail the same way the core's do.
 */
public final class Env {
    private static final Pattern SIZE = Pattern.compile("(\\d+)(B|KiB|MiB|GiB|TiB)?");
    private static final String DURATION_FORM = Durations.FORM;

    private final Map<String, String> values;

    public Env(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    /** A trimmed value; blank counts as unset, as shells and .env files commonly leave empty values. */
    public Optional<String> string(String name) {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(v.trim());
    }

    public String required(String name, String expected) {
        return string(name).orElseThrow(() -> ConfigException.missing(name, expected));
    }

    public String string(String name, String fallback) {
        return string(name).orElse(fallback);
    }

    public int positiveInt(String name, int fallback, int max) {
        Optional<String> raw = string(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(raw.get());
            if (v >= 1 && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the expected range
        }
        throw ConfigException.invalid(name, raw.get(), "an integer from 1 to " + max);
    }

    public Duration duration(String name, Duration fallback) {
        return optionalDuration(name).orElse(fallback);
    }

    public Optional<Duration> optionalDuration(String name) {
        return string(name).map(raw -> parseDuration(name, raw));
    }

    public Duration duration(String name, Duration fallback, Duration min, Duration max) {
        Duration d = duration(name, fallback);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw ConfigException.invalid(name, values.get(name).trim(),
                    DURATION_FORM + ", from " + Durations.format(min) + " to " + Durations.format(max));
        }
        return d;
    }

    public long size(String name, long fallback) {
        Optional<String> raw = string(name);
        return raw.map(r -> parseSize(name, r)).orElse(fallback);
    }

    public Optional<Long> optionalSize(String name) {
        return string(name).map(r -> parseSize(name, r));
    }

    public boolean bool(String name, boolean fallback) {
        Optional<String> raw = string(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        return switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw ConfigException.invalid(name, raw.get(), "true or false");
        };
    }

    /** A port, or empty when the value is {@code off}. */
    public OptionalInt portOrOff(String name, int fallback) {
        Optional<String> raw = string(name);
        if (raw.isEmpty()) {
            return OptionalInt.of(fallback);
        }
        if (raw.get().equalsIgnoreCase("off")) {
            return OptionalInt.empty();
        }
        try {
            int port = Integer.parseInt(raw.get());
            if (port >= 0 && port <= 65535) {
                return OptionalInt.of(port);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ConfigException.invalid(name, raw.get(), "a TCP port from 0 to 65535, or off");
    }

    public static Duration parseDuration(String name, String raw) {
        return Durations.parse(raw).orElseThrow(() -> ConfigException.invalid(name, raw, DURATION_FORM));
    }

    public static long parseSize(String name, String raw) {
        Matcher m = SIZE.matcher(raw.trim());
        String form = "a size such as 512MiB, 2GiB or a number of bytes";
        if (!m.matches()) {
            throw ConfigException.invalid(name, raw, form);
        }
        long shift = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            case "TiB" -> 40;
            default -> 0;
        };
        try {
            long amount = Long.parseLong(m.group(1));
            if (amount > (Long.MAX_VALUE >> shift)) {
                throw ConfigException.invalid(name, raw, form);
            }
            return amount << shift;
        } catch (NumberFormatException e) {
            throw ConfigException.invalid(name, raw, form);
        }
    }

    /** Every variable, for loaders (SSM) that layer values underneath the real environment. */
    public Map<String, String> asMap() {
        return values;
    }
}
