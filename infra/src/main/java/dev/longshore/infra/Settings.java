package dev.longshore.infra;

import dev.longshore.core.config.Durations;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Typed reads of the fleet settings, which arrive as CDK context values ({@code -c video.max=40} on the command
 * line, {@code "context"} in cdk.json, or {@code key=value} arguments to the App). Every bad value fails the
 * synthesis with one message that names the key, the value given and what is expected.
 */
public final class Settings {

    private final Function<String, Object> lookup;

    public Settings(Function<String, Object> lookup) {
        this.lookup = lookup;
    }

    public Optional<String> optional(String key) {
        Object value = lookup.apply(key);
        if (value == null) {
            return Optional.empty();
        }
        String text = value.toString().trim();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    public String string(String key, String fallback, Pattern allowed, String expected) {
        String value = optional(key).orElse(fallback);
        if (!allowed.matcher(value).matches()) {
            throw invalid(key, value, expected);
        }
        return value;
    }

    public int integer(String key, int fallback, int min, int max) {
        Optional<String> text = optional(key);
        if (text.isEmpty()) {
            return fallback;
        }
        String value = stripWholeNumberDecimal(text.get());
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below with the range
        }
        throw invalid(key, text.get(), "a whole number from " + min + " to " + max);
    }

    public boolean bool(String key, boolean fallback) {
        Optional<String> text = optional(key);
        if (text.isEmpty()) {
            return fallback;
        }
        return switch (text.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, text.get(), "true or false");
        };
    }

    /** A duration written as the workers accept it: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h} or bare seconds. */
    public Duration duration(String key, Duration fallback, Duration min, Duration max) {
        Optional<String> text = optional(key);
        if (text.isEmpty()) {
            return fallback;
        }
        Optional<Duration> parsed = parseDuration(text.get());
        if (parsed.isPresent() && parsed.get().compareTo(min) >= 0 && parsed.get().compareTo(max) <= 0) {
            return parsed.get();
        }
        throw invalid(key, text.get(), "a duration such as 30s, 5m or 1h, from " + format(min) + " to " + format(max));
    }

    static Optional<Duration> parseDuration(String text) {
        return Durations.parse(text);
    }

    /** The shortest exact text for a duration, in the workers' format. */
    static String format(Duration d) {
        return Durations.format(d);
    }

    static SettingsException invalid(String key, String value, String expected) {
        return new SettingsException("setting " + key + "=\"" + value + "\" is invalid: expected " + expected);
    }

    private static String stripWholeNumberDecimal(String text) {
        // cdk.json numbers reach Java as doubles ("10.0"); a whole number written that way is still a whole number.
        return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
    }
}
