package dev.longshore.messaging.webhook;

import dev.longshore.core.concurrent.Sleeper;
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
import dev.longshore.core.http.Throttle;
import dev.longshore.core.http.Urls;
import dev.longshore.core.job.Job;
import dev.longshore.core.job.JobFailure;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import dev.longshore.core.metrics.Metrics;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers {@code notify.webhook} jobs through worker-core's {@link HttpFetcher}: 2xx is success; 408, 429, 5xx,
 * timeouts and connection errors are retryable; other 4xx are permanent (README: How a message is handled). Destinations,
 * redirects, body bounds and what a reason may show follow README: Security; URLs are logged as origin only,
 * since webhook paths carry tokens.
 *
 * <p>Before the request a job waits for its turn under the per-host rate limit, in place, so waiting never costs
 * the message a receive; the request's own timeout starts after the wait (docs/messaging.md: Rate limit). Each
 * request carries the job id twice ({@code X-Longshore-Job-Id}, {@code Idempotency-Key}), the attempt
 * ({@code X-Longshore-Attempt}, the SQS receive count) and, with a signing secret, {@code X-Longshore-Signature}
 * (docs/messaging.md: Signing).
 */
public final class WebhookSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    static final String JOB_ID_HEADER = "X-Longshore-Job-Id";
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    static final String ATTEMPT_HEADER = "X-Longshore-Attempt";
    static final String USER_AGENT = "longshore-worker-messaging";
    /** Of a failed answer this much is kept for the reason; the rest is never read into memory. */
    static final int REASON_SNIPPET_BYTES = 2048;
    /** SQS's visibility ceiling: a Retry-After beyond it cannot be honoured anyway. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(12);

    private final WebhookSettings settings;
    private final HttpFetcher http;
    private final HostRateLimiter limiter;
    private final Optional<WebhookSigner> signer;
    private final WebhookMetrics metrics;
    private final Clock clock;

    public WebhookSender(WebhookSettings settings, PrivateDestinations privateDestinations) {
        this(settings, privateDestinations, new Metrics());
    }

    public WebhookSender(WebhookSettings settings, PrivateDestinations privateDestinations, Metrics metrics) {
        this(settings, privateDestinations, HostResolver.SYSTEM, WebhookTrust.connector(settings), Clock.systemUTC(),
                metrics, new HostRateLimiter(settings.ratePerSecond(), HostRateLimiter.DEFAULT_MAX_HOSTS, System::nanoTime,
                        Sleeper.SYSTEM));
    }

    public WebhookSender(WebhookSettings settings, PrivateDestinations privateDestinations, HostResolver resolver,
                         Connector connector, Clock clock) {
        this(settings, privateDestinations, resolver, connector, clock, new Metrics(),
                new HostRateLimiter(settings.ratePerSecond(), HostRateLimiter.DEFAULT_MAX_HOSTS, System::nanoTime,
                        Sleeper.SYSTEM));
    }

    WebhookSender(WebhookSettings settings, PrivateDestinations privateDestinations, HostResolver resolver,
                  Connector connector, Clock clock, Metrics metrics, HostRateLimiter limiter) {
        this.settings = settings;
        this.clock = clock;
        this.limiter = limiter;
        this.signer = settings.signingSecret().map(WebhookSigner::new);
        this.metrics = new WebhookMetrics(metrics);
        DestinationPolicy policy = new DestinationPolicy(privateDestinations,
                new AllowedHosts(settings.allowedHosts(), "WORKER_WEBHOOK_ALLOWED_HOSTS"), resolver);
        // Every hop asks the limiter itself (see deliver), so the fetcher's own throttle is never used.
        this.http = new HttpFetcher(policy, connector, Throttle.NONE,
                new HttpFetcher.Options(FailureCodes.WEBHOOK, settings.maxRedirects(), settings.timeout()));
    }

    public void deliver(Job job) throws JobFailure, InterruptedException {
        try {
            send(job);
            metrics.record("2xx");
        } catch (JobFailure f) {
            String outcome = outcomeOf(f.code());
            if (!outcome.equals("rate_limited_wait")) {
                metrics.record(outcome);
            }
            throw f;
        }
    }

    private void send(Job job) throws JobFailure, InterruptedException {
        WebhookRequest request = WebhookRequest.parse(job.payload());
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        if (request.body().isPresent() && !request.contentType().isEmpty()) {
            headers.put("Content-Type", request.contentType());
        }
        headers.put(JOB_ID_HEADER, job.id());
        headers.put(IDEMPOTENCY_HEADER, job.id());
        headers.put(ATTEMPT_HEADER, String.valueOf(job.receiveCount()));
        headers.put("User-Agent", USER_AGENT);
        Optional<byte[]> body = request.body().map(b -> b.getBytes(StandardCharsets.UTF_8));

        Optional<String> firstHost = hostKey(request.url());
        if (firstHost.isPresent()) {
            awaitTurn(firstHost.get(), settings.rateLimitWait());
        }
        // Signed after the wait, so the timestamp says when the request really left.
        signer.ifPresent(s -> headers.put(WebhookSigner.HEADER, s.sign(clock.instant(), body.orElse(new byte[0]))));
        Deadline deadline = Deadline.after(settings.timeout());
        AtomicBoolean firstHopPaid = new AtomicBoolean(firstHost.isPresent());
        Throttle hops = host -> {
            if (firstHopPaid.getAndSet(false) && host.equals(firstHost.orElse(null))) {
                return;
            }
            // A redirect to another host waits within what is left of the request's timeout.
            awaitTurn(host, Duration.ofNanos(Math.max(0, deadline.remainingNanos())));
        };
        OutboundRequest out = new OutboundRequest(request.method(), request.url(), headers, body);
        try (FetchResponse response = http.fetch(out, deadline, hops)) {
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

    /**
     * Waits for {@code host}'s turn, at most {@code maxWait}. Only a turn further away than that gives the message
     * back (retryable {@code webhook_rate_limited}, after the wait it would have needed).
     */
    private void awaitTurn(String host, Duration maxWait) throws RetryableFailure, InterruptedException {
        long waited = limiter.acquire(host, maxWait);
        if (waited == 0) {
            return;
        }
        metrics.record("rate_limited_wait");
        if (waited < 0) {
            Duration next = Duration.ofNanos(-waited);
            throw new RetryableFailure("webhook_rate_limited", "rate limit for " + host + " (" + limiter.ratePerSecond()
                    + "/s in this process, WORKER_WEBHOOK_RATE_LIMIT): the next free turn is " + next.toMillis()
                    + " ms away, beyond the " + maxWait.toMillis() + " ms a job may wait",
                    next.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : next, null);
        }
        log.debug("webhook to {} waited {} ms for the rate limit", host, waited / 1_000_000);
    }

    /** The host as the destination policy names it: without brackets, lower case. */
    static Optional<String> hostKey(URI url) {
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.empty();
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return Optional.of(bare.toLowerCase(Locale.ROOT));
    }

    /** The metrics outcome of a failure code (docs/messaging.md: Metrics). */
    static String outcomeOf(String code) {
        if (code.startsWith("webhook_http_")) {
            try {
                return WebhookMetrics.ofStatus(Integer.parseInt(code.substring("webhook_http_".length())));
            } catch (NumberFormatException e) {
                return "connection";
            }
        }
        return switch (code) {
            case "webhook_redirected", "webhook_too_many_redirects", "webhook_bad_redirect" -> "3xx";
            case "webhook_timeout" -> "timeout";
            case "webhook_rate_limited" -> "rate_limited_wait";
            case "webhook_forbidden_address", "webhook_host_not_allowed", "webhook_invalid_url", "invalid_payload",
                 "invalid_header" -> "refused";
            default -> "connection";
        };
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
