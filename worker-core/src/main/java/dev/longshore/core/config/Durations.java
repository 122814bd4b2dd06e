package dev.longshore.core.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar of every module, script and tool (README: Configuration): {@code 250ms}, {@code 30s},
 * {@code 5m}, {@code 1h} or a bare whole number of seconds.
 */
public final class Durations {
    /** What an error message says is expected. */
    public static final String FORM = "a duration such as 250ms, 30s, 5m, 1h or a number of seconds";
    private static final Pattern DURATION = Pattern.compile("(\\d{1,18})(ms|s|m|h)?");

    private Durations() {
    }

    /** The duration {@code text} means, or empty when it is not one (or too large to represent). */
    public static Optional<Duration> parse(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        try {
            Duration d = switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofSeconds(amount);
            };
            d.toMillis(); // must fit the millisecond clocks it feeds
            return Optional.of(d);
        } catch (ArithmeticException tooLarge) {
            return Optional.empty();
        }
    }

    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms != 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms != 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
