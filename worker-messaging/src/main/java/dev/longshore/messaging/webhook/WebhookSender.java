package dev.longshore.messaging.webhook;

import dev.longshore.core.job.Job;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers {@code notify.webhook} jobs: 2xx is success; 408, 429, 5xx, timeouts and connection errors are
 * retryable; other 4xx are permanent (contract section 3). Redirects are followed by hand so every hop passes
 * the {@link DestinationPolicy} again.
 */
public final class WebhookSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    static final String JOB_ID_HEADER = "X-Longshore-Job-Id";
    private static final int SNIPPET = 200;

    private final WebhookSettings settings;
    private final DestinationPolicy policy;
    private final HostRateLimiter limiter;
    private final HttpClient http;
    private final ExecutorService executor;

    public WebhookSender(WebhookSettings settings) {
        this(settings, HostResolver.SYSTEM);
    }

    public WebhookSender(WebhookSettings settings, HostResolver resolver) {
        this.settings = settings;
        this.policy = new DestinationPolicy(settings.allowedHosts(), resolver);
        this.limiter = new HostRateLimiter(settings.ratePerSecond(), System::nanoTime);
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("worker-messaging-http-", 1).factory());
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.timeout())
                .executor(executor)
                .build();
    }

    public void deliver(Job job) throws PermanentFailure, RetryableFailure, InterruptedException {
        WebhookRequest request = WebhookRequest.parse(job.payload());
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        URI url = request.url();
        String method = request.method();
        Optional<String> body = request.body();
        for (int hop = 0; ; hop++) {
            policy.check(url);
            limiter.acquire(url.getHost());
            HttpResponse<byte[]> response = send(job, request, url, method, body, deadline);
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                log.info("webhook delivered: {} {} -> {}", method, redact(url), status);
                return;
            }
            if (isRedirect(status)) {
                Optional<String> location = response.headers().firstValue("Location");
                if (location.isEmpty()) {
                    throw new PermanentFailure("webhook_http_" + status, "redirect " + status + " without Location from " + redact(url));
                }
                if (hop >= settings.maxRedirects()) {
                    throw new PermanentFailure("webhook_too_many_redirects", "more than " + settings.maxRedirects()
                            + " redirects, last from " + redact(url));
                }
                URI next;
                try {
                    next = url.resolve(location.get().trim());
                } catch (IllegalArgumentException e) {
                    throw new PermanentFailure("webhook_bad_redirect", "redirect to an invalid URI: " + location.get());
                }
                if (status == 303 || ((status == 301 || status == 302) && !method.equals("GET"))) {
                    method = "GET";
                    body = Optional.empty();
                }
                log.info("webhook redirected: {} -> {}", redact(url), redact(next));
                url = next;
                continue;
            }
            String snippet = new String(response.body(), 0, Math.min(SNIPPET, response.body().length), StandardCharsets.UTF_8)
                    .replaceAll("\\s+", " ");
            String reason = method + " " + redact(url) + " answered " + status + (snippet.isBlank() ? "" : ": " + snippet);
            if (status == 408 || status == 429 || status >= 500) {
                throw new RetryableFailure("webhook_http_" + status, reason, retryAfter(response).orElse(null), null);
            }
            throw new PermanentFailure("webhook_http_" + status, reason);
        }
    }

    private HttpResponse<byte[]> send(Job job, WebhookRequest request, URI url, String method, Optional<String> body,
                                      long deadline) throws RetryableFailure, InterruptedException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new RetryableFailure("webhook_timeout", "webhook did not complete within " + settings.timeout().toMillis() + " ms");
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(url)
                .timeout(Duration.ofNanos(left))
                .method(method, body.map(s -> HttpRequest.BodyPublishers.ofString(s, StandardCharsets.UTF_8))
                        .orElse(HttpRequest.BodyPublishers.noBody()));
        request.headers().forEach(b::header);
        if (body.isPresent() && !request.contentType().isEmpty()) {
            b.header("Content-Type", request.contentType());
        }
        b.header(JOB_ID_HEADER, job.id());
        b.header("User-Agent", "longshore-worker-messaging");
        CompletableFuture<HttpResponse<byte[]>> future;
        try {
            future = http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IllegalArgumentException e) {
            throw new RetryableFailure("webhook_request", "could not build request: " + e.getMessage());
        }
        try {
            // The whole request, body included, is bounded: a receiver trickling bytes cannot hold a slot forever.
            return future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new RetryableFailure("webhook_timeout", "webhook did not complete within " + settings.timeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (CancellationException e) {
            throw new RetryableFailure("webhook_cancelled", "request cancelled");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw new RetryableFailure("webhook_timeout", "webhook timed out: " + cause.getMessage(), cause);
            }
            if (cause instanceof ConnectException) {
                throw new RetryableFailure("webhook_connection", "cannot connect to " + redact(url) + ": " + cause, cause);
            }
            if (cause instanceof IOException) {
                throw new RetryableFailure("webhook_io", "I/O error calling " + redact(url) + ": " + cause, cause);
            }
            throw new RetryableFailure("webhook_error", String.valueOf(cause), cause);
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                long seconds = Long.parseLong(v.trim());
                return seconds >= 0 ? Optional.of(Duration.ofSeconds(Math.min(seconds, 43_200))) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    /** The URL without its query string, which often carries tokens. */
    static String redact(URI url) {
        String s = url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath());
        return url.getRawQuery() == null ? s : s + "?…";
    }

    @Override
    public void close() {
        http.close();
        executor.shutdownNow();
    }
}
