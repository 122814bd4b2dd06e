package dev.longshore.messaging.webhook;

import dev.longshore.core.config.ConfigException;
import dev.longshore.core.config.Env;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Webhook delivery settings.
 *
 * @param timeout       the whole request, connect to last byte ({@code WORKER_WEBHOOK_TIMEOUT})
 * @param allowedHosts  host names or IP literals that may be called; empty means any host
 * @param ratePerSecond requests per second per destination host, 0 for no limit
 * @param maxRedirects  redirects followed, each re-checked against the destination policy
 */
public record WebhookSettings(Duration timeout, Set<String> allowedHosts, double ratePerSecond, int maxRedirects) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Enough for bursts to a healthy receiver, low enough that a fleet does not flatten a small one. */
    public static final double DEFAULT_RATE_PER_SECOND = 20;
    public static final int DEFAULT_MAX_REDIRECTS = 5;

    public WebhookSettings {
        allowedHosts = Set.copyOf(allowedHosts);
    }

    public static WebhookSettings fromEnv(Env env) {
        Duration timeout = env.duration("WORKER_WEBHOOK_TIMEOUT", DEFAULT_TIMEOUT, Duration.ofMillis(100), Duration.ofHours(1));
        Set<String> allowed = env.string("WORKER_WEBHOOK_ALLOWED_HOSTS")
                .map(raw -> parseHosts(raw))
                .orElse(Set.of());
        double rate = DEFAULT_RATE_PER_SECOND;
        var rawRate = env.string("WORKER_WEBHOOK_RATE_LIMIT");
        if (rawRate.isPresent()) {
            String r = rawRate.get();
            if (r.equalsIgnoreCase("off")) {
                rate = 0;
            } else {
                try {
                    rate = Double.parseDouble(r.endsWith("/s") ? r.substring(0, r.length() - 2) : r);
                } catch (NumberFormatException e) {
                    rate = -1;
                }
                if (!(rate > 0) || rate > 100_000) {
                    throw ConfigException.invalid("WORKER_WEBHOOK_RATE_LIMIT", r,
                            "requests per second per host, e.g. 20 or 20/s (up to 100000), or off");
                }
            }
        }
        int redirects = env.string("WORKER_WEBHOOK_MAX_REDIRECTS").isPresent()
                ? env.positiveInt("WORKER_WEBHOOK_MAX_REDIRECTS", DEFAULT_MAX_REDIRECTS, 20) : DEFAULT_MAX_REDIRECTS;
        return new WebhookSettings(timeout, allowed, rate, redirects);
    }

    private static Set<String> parseHosts(String raw) {
        Set<String> hosts = Arrays.stream(raw.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT))
                .map(s -> s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s)
                .collect(Collectors.toUnmodifiableSet());
        for (String h : hosts) {
            boolean ipv6 = h.contains(":") && h.matches("[0-9a-f:.]+");
            if (!ipv6 && (h.contains(":") || h.contains("/") || !h.matches("[a-z0-9._-]+"))) {
                throw ConfigException.invalid("WORKER_WEBHOOK_ALLOWED_HOSTS", raw,
                        "a comma-separated list of host names or IP addresses without ports or paths ('" + h + "' is not)");
            }
        }
        return hosts;
    }
}
