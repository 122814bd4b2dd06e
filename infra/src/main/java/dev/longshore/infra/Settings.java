package dev.longshore.infra;

import dev.longshore.core.config.Durations;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Typed reads of the fleet settings, which arrive as CDK context values ({@code -c video.max=40} on the command
 * line, {@code "context"} in cdk.json, or {@code key=value} arguments to the App). Every bad value fails the
 * synthesis with one message that names the key, the value given and what is expected.
 */
public final class Settings {

    /** How many close keys an "unknown setting" message names. */
    private static final int MAX_SUGGESTIONS = 3;

    private final Function<String, Object> lookup;
    /** Every key asked for, so keys given but never asked for can be refused as typos. */
    private final Set<String> known = new LinkedHashSet<>();

    public Settings(Function<String, Object> lookup) {
        this.lookup = lookup;
    }

    public Optional<String> optional(String key) {
        known.add(key);
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

    /** A number with a fraction, such as a utilisation of {@code 0.8}. */
    public double decimal(String key, double fallback, double min, double max) {
        Optional<String> text = optional(key);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            double parsed = Double.parseDouble(text.get());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below with the range
        }
        throw invalid(key, text.get(), "a number from " + min + " to " + max);
    }

    /** A comma-separated list, each item matching {@code allowed}; empty when unset. */
    public List<String> list(String key, Pattern allowed, String expected) {
        Optional<String> text = optional(key);
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> items = Arrays.stream(text.get().split(",")).map(String::trim).toList();
        for (String item : items) {
            if (!allowed.matcher(item).matches()) {
                throw invalid(key, text.get(), "a comma-separated list of " + expected);
            }
        }
        return List.copyOf(new LinkedHashSet<>(items));
    }

    /** The keys read so far: every setting the stack knows, once the whole fleet has been read. */
    public Set<String> knownKeys() {
        return Set.copyOf(known);
    }

    /**
     * Refuses a given key that no read asked for (a typo such as {@code vidoe.max=3} would otherwise be ignored
     * silently), naming the known keys closest to it. Keys of the CDK itself ({@code aws:cdk:...},
     * {@code @aws-cdk/...}, context lookups with a colon) are not ours and are passed over.
     */
    public void refuseUnknown(Collection<String> given) {
        for (String key : given) {
            if (isCdkOwn(key) || known.contains(key)) {
                continue;
            }
            List<String> close = known.stream()
                    .filter(k -> distance(k.toLowerCase(Locale.ROOT), key.toLowerCase(Locale.ROOT)) <= closeness(key)
                            || suffix(k).equalsIgnoreCase(suffix(key)))
                    .sorted(Comparator.comparingInt((String k) -> distance(k, key)).thenComparing(k -> k))
                    .limit(MAX_SUGGESTIONS)
                    .toList();
            throw new SettingsException("setting " + key + " is unknown"
                    + (close.isEmpty() ? "; see docs/deploy.md: Settings" : "; known keys close to it: "
                    + String.join(", ", close)));
        }
    }

    static boolean isCdkOwn(String key) {
        return key.contains(":") || key.startsWith("@") || key.equals("acknowledged-issue-numbers");
    }

    private static int closeness(String key) {
        return Math.max(2, key.length() / 4);
    }

    private static String suffix(String key) {
        int dot = key.lastIndexOf('.');
        return dot < 0 ? key : key.substring(dot + 1);
    }

    /** Edit distance with adjacent transpositions (optimal string alignment): "vidoe" is one edit from "video". */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
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
