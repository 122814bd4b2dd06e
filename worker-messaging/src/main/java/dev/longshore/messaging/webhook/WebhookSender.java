package dev.longshore.messaging.webhook;

import dev.longshore.core.http.AllowedHosts;
import dev.longshore.core.http.Connector;
import dev.longshore.core.http.Deadline;
import dev.longshore.core.http.DestinationPolicy;
import dev.longshore.core.http.FailureCodes;
import dev.longshore.core.http.FetchResponse;
import dev.longshore.core.http.HostResolver;
import dev.longshore.core.http.HttpFetcher;
import dev.longshore.core.http.OutboundRequest;
import dev.longshore.core.http.PrivateDestinations;
import dev.longshore.core.http.SocketConnector;
import dev.longshore.core.http.Urls;
import dev.longshore.core.job.Job;
import dev.longshore.core.job.JobFailure;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers {@code notify.webhook} jobs through worker-core's {@link HttpFetcher}: 2xx is success; 408, 429, 5xx,
 * timeouts and connection errors are retryable; other 4xx are permanent (README: Messages). Destinations,
 * redirects, body bounds and what a reason may show follow README: Security; URLs are logged as origin only,
 * since webhook paths carry tokens.
 */
public final class WebhookSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    static final String JOB_ID_HEADER = "X-Longshore-Job-Id";
    static final String USER_AGENT = "longshore-worker-messaging";
    /** Of a failed answer this much is kept for the reason; the rest is never read into memory. */
    static final int REASON_SNIPPET_BYTES = 2048;
    /** SQS's visibility ceiling: a Retry-After beyond it cannot be honoured anyway. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(12);

    private final WebhookSettings settings;
    private final HttpFetcher http;
    private final Clock clock;

    public WebhookSender(WebhookSettings settings, PrivateDestinations privateDestinations) {
        this(settings, privateDestinations, HostResolver.SYSTEM, SocketConnector.withDefaultTrust(), Clock.systemUTC());
    }

    public WebhookSender(WebhookSettings settings, PrivateDestinations privateDestinations, HostResolver resolver,
                         Connector connector, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        DestinationPolicy policy = new DestinationPolicy(privateDestinations,
                new AllowedHosts(settings.allowedHosts(), "WORKER_WEBHOOK_ALLOWED_HOSTS"), resolver);
        this.http = new HttpFetcher(policy, connector, new HostRateLimiter(settings.ratePerSecond(), System::nanoTime),
                new HttpFetcher.Options(FailureCodes.WEBHOOK, settings.maxRedirects(), settings.timeout()));
    }

    public void deliver(Job job) throws JobFailure, InterruptedException {
        WebhookRequest request = WebhookRequest.parse(job.payload());
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        if (request.body().isPresent() && !request.contentType().isEmpty()) {
            headers.put("Content-Type", request.contentType());
        }
        headers.put(JOB_ID_HEADER, job.id());
        headers.put("User-Agent", USER_AGENT);
        OutboundRequest out = new OutboundRequest(request.method(), request.url(), headers,
                request.body().map(b -> b.getBytes(StandardCharsets.UTF_8)));
        try (FetchResponse response = http.fetch(out, Deadline.after(settings.timeout()))) {
            int status = response.status();
            String where = request.method() + " " + Urls.redact(response.uri());
            if (status >= 200 && status < 300) {
                log.info("webhook delivered: {} -> {}", where, status);
                return;
            }
            String snippet = response.readText(REASON_SNIPPET_BYTES);
            String reason = where + " answered " + status + (snippet.isBlank() ? "" : ": " + snippet);
            if (status == 408 || status == 429 || status >= 500) {
                Optional<Duration> after = response.headers().first("Retry-After").flatMap(v -> retryAfter(v, clock.instant()));
                throw new RetryableFailure("webhook_http_" + status, reason, after.orElse(null), null);
            }
            throw new PermanentFailure("webhook_http_" + status, reason);
        }
    }

    /** {@code Retry-After} as delay-seconds or as an HTTP date, capped at SQS's 12 h visibility limit. */
    static Optional<Duration> retryAfter(String value, Instant now) {
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds >= 0 ? Optional.of(cap(Duration.ofSeconds(Math.min(seconds, MAX_RETRY_AFTER.toSeconds()))))
                    : Optional.empty();
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(now, at);
                return Optional.of(d.isNegative() ? Duration.ZERO : cap(d));
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private static Duration cap(Duration d) {
        return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
    }

    @Override
    public void close() {
        http.close();
    }
}
