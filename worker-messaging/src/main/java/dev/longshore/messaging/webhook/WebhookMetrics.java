package dev.longshore.messaging.webhook;

import dev.longshore.core.metrics.Counter;
import dev.longshore.core.metrics.Metrics;
import java.util.List;
import java.util.Map;

/**
 * {@code longshore_webhook_requests_total{outcome=...}} (docs/messaging.md: Metrics). The outcomes are a fixed
 * set, so a message can never add a series: 2xx, 3xx, 4xx, 5xx by the final answer's status; timeout;
 * connection (refused, reset, TLS, DNS, I/O, an HTTP/2-only server); refused (the destination policy or the
 * payload refused it before anything was sent); rate_limited_wait (a request that waited for its turn).
 */
final class WebhookMetrics {
    static final String NAME = "longshore_webhook_requests_total";
    static final List<String> OUTCOMES = List.of("2xx", "3xx", "4xx", "5xx", "timeout", "connection", "refused",
            "rate_limited_wait");

    private final Map<String, Counter> counters;

    WebhookMetrics(Metrics metrics) {
        this.counters = metrics.labelledCounters(NAME,
                "Webhook requests by outcome; rate_limited_wait counts requests that waited for the per-host rate limit.",
                "outcome", OUTCOMES);
    }

    void record(String outcome) {
        Counter c = counters.get(outcome);
        if (c == null) {
            throw new IllegalArgumentException("not a webhook outcome: " + outcome);
        }
        c.increment();
    }

    /** The outcome of a status code. */
    static String ofStatus(int status) {
        return status >= 500 ? "5xx" : status >= 400 ? "4xx" : status >= 300 ? "3xx" : "2xx";
    }
}
