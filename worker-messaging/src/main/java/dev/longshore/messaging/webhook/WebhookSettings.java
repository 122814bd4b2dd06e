package dev.longshore.messaging.webhook;

import dev.longshore.core.config.ConfigException;
import dev.longshore.core.config.Env;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Webhook delivery settings (docs/messaging.md: Settings).
 *
 * @param timeout         the whole request, connect to last byte ({@code WORKER_WEBHOOK_TIMEOUT})
 * @param allowedHosts    host names or IP literals that may be called; empty means any host
 * @param ratePerSecond   requests per second per destination host in this process, 0 for no limit
 * @param maxRedirects    redirects followed, each re-checked against the destination policy
 * @param rateLimitWait   longest a job waits for its turn under the rate limit before it is given back
 * @param signingSecret   HMAC-SHA256 key for {@code X-Longshore-Signature}; empty: requests are not signed
 * @param caFile          PEM bundle of extra CA certificates trusted for https webhooks, on top of the JDK's
 */
public record WebhookSettings(Duration timeout, Set<String> allowedHosts, double ratePerSecond, int maxRedirects,
                              Duration rateLimitWait, Optional<String> signingSecret, Optional<Path> caFile) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Enough for bursts to a healthy receiver, low enough that a fleet does not flatten a small one. */
    public static final double DEFAULT_RATE_PER_SECOND = 20;
    public static final int DEFAULT_MAX_REDIRECTS = 5;
    /**
     * A job waits at most this long for its turn: far longer than a backlog of WORKER_CONCURRENCY jobs takes at any
     * sensible rate (32 jobs at 1/s: 32 s), short enough that a message is not held for hours.
     */
    public static final Duration DEFAULT_RATE_LIMIT_WAIT = Duration.ofMinutes(15);
    /** An HMAC key shorter than this is guessable; Stripe's secrets are 32 characters. */
    static final int MIN_SECRET_BYTES = 16;

    public WebhookSettings {
        allowedHosts = Set.copyOf(allowedHosts);
    }

    /** Defaults for the newer settings: wait up to 15 minutes, unsigned, the JDK's trust only. */
    public WebhookSettings(Duration timeout, Set<String> allowedHosts, double ratePerSecond, int maxRedirects) {
        this(timeout, allowedHosts, ratePerSecond, maxRedirects, DEFAULT_RATE_LIMIT_WAIT, Optional.empty(), Optional.empty());
    }

    public WebhookSettings withSigningSecret(String secret) {
        return new WebhookSettings(timeout, allowedHosts, ratePerSecond, maxRedirects, rateLimitWait, Optional.of(secret), caFile);
    }

    public WebhookSettings withCaFile(Path file) {
        return new WebhookSettings(timeout, allowedHosts, ratePerSecond, maxRedirects, rateLimitWait, signingSecret, Optional.of(file));
    }

    public WebhookSettings withRateLimitWait(Duration wait) {
        return new WebhookSettings(timeout, allowedHosts, ratePerSecond, maxRedirects, wait, signingSecret, caFile);
    }

    /** The signing secret never appears in logs. */
    @Override
    public String toString() {
        return "WebhookSettings[timeout=" + timeout + ", allowedHosts=" + allowedHosts + ", ratePerSecond=" + ratePerSecond
                + ", maxRedirects=" + maxRedirects + ", rateLimitWait=" + rateLimitWait + ", signingSecret="
                + (signingSecret.isPresent() ? "***" : "-") + ", caFile=" + caFile.map(Path::toString).orElse("-") + "]";
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
        Duration rateLimitWait = env.duration("WORKER_WEBHOOK_RATE_LIMIT_WAIT", DEFAULT_RATE_LIMIT_WAIT, Duration.ZERO,
                Duration.ofHours(11));
        Optional<String> secret = env.string("WORKER_WEBHOOK_SIGNING_SECRET");
        if (secret.isPresent() && secret.get().getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw ConfigException.invalid("WORKER_WEBHOOK_SIGNING_SECRET", "(" + secret.get().length() + " characters, hidden)",
                    "a secret of at least " + MIN_SECRET_BYTES + " bytes, e.g. from openssl rand -hex 32");
        }
        Optional<Path> caFile = env.string("WORKER_WEBHOOK_CA_FILE").map(Path::of);
        if (caFile.isPresent() && !Files.isReadable(caFile.get())) {
            throw ConfigException.invalid("WORKER_WEBHOOK_CA_FILE", caFile.get().toString(),
                    "a readable PEM file of CA certificates");
        }
        return new WebhookSettings(timeout, allowed, rate, redirects, rateLimitWait, secret, caFile);
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
