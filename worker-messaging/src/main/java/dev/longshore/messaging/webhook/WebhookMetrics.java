package dev.longshore.messaging.webhook;

import dev.longshore.core.metrics.LabelledCounter;
import dev.longshore.core.metrics.Metrics;
import java.util.List;

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

    private final LabelledCounter counter;

    WebhookMetrics(Metrics metrics) {
        this.counter = metrics.labelledCounter(NAME,
                "Webhook requests by outcome; rate_limited_wait counts requests that waited for the per-host rate limit.",
                "outcome");
        OUTCOMES.forEach(counter::declare);
    }

    void record(String outcome) {
        if (!OUTCOMES.contains(outcome)) {
            throw new IllegalArgumentException("not a webhook outcome: " + outcome);
        }
        counter.increment(outcome);
    }

    /** The outcome of a status code. */
    static String ofStatus(int status) {
        return status >= 500 ? "5xx" : status >= 400 ? "4xx" : status >= 300 ? "3xx" : "2xx";
    }
}
