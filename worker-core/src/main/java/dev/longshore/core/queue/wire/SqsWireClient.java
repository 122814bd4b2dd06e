package dev.longshore.core.queue.wire;

import dev.longshore.core.queue.QueueNotFoundException;
import dev.longshore.core.queue.QueueUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Sends one SQS JSON-protocol call over the JDK's HTTP client (keep-alive connections, TLS, the JVM's proxy
 * settings) and returns the answer's body. The per-message calls go this way instead of through the AWS SDK's
 * request pipeline, which cost about two thirds of a worker's CPU per message in profiles (README: Performance).
 * Every failure is one of the runtime's two: {@link QueueNotFoundException} or {@link QueueUnavailableException}.
 */
public final class SqsWireClient {
    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    private static final String USER_AGENT = "longshore-worker";
    /** Error types that say this host's clock is off: the next call is signed with the server's time instead. */
    private static final Set<String> CLOCK_ERRORS = Set.of("RequestTimeTooSkewed", "RequestExpired",
            "InvalidSignatureException", "SignatureDoesNotMatch");

    /**
     * Tries per call. The SDK retried transient failures itself (three attempts); without that one 500 or reset
     * connection would put the worker in PAUSED and flip its readiness for the length of a backoff.
     */
    static final int ATTEMPTS = 3;
    /** Error types SQS answers when a caller goes too fast: worth another try after a short pause. */
    private static final Set<String> THROTTLING = Set.of("ThrottlingException", "RequestThrottled",
            "AWS.SimpleQueueService.RequestThrottled", "KmsThrottled", "RequestThrottledException");

    /** A failure another attempt may not meet: a reset connection, a 5xx, throttling, a clock just corrected. */
    private static final class TransientFailure extends QueueUnavailableException {
        TransientFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final URL url;
    private final String host;
    private final String path;
    private final SigV4Signer signer;
    private final Supplier<SigningCredentials> credentials;
    private final Clock clock;
    private final int connectTimeoutMs;
    private final int readTimeoutMs;
    private final Set<HttpURLConnection> abortable = ConcurrentHashMap.newKeySet();
    private volatile boolean aborted;
    private volatile long clockSkewMs;

    /**
     * @param endpoint the SQS endpoint the AWS SDK would use (an endpoint override, or the region's)
     * @param readTimeout longer than the longest long poll
     */
    public SqsWireClient(URI endpoint, String region, Supplier<SigningCredentials> credentials, Clock clock,
                         Duration connectTimeout, Duration readTimeout) {
        String rawPath = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
        try {
            this.url = new URI(endpoint.getScheme(), null, endpoint.getHost(), endpoint.getPort(), null, null, null)
                    .resolve(rawPath).toURL();
        } catch (java.net.URISyntaxException | java.net.MalformedURLException e) {
            throw new IllegalArgumentException("SQS endpoint " + endpoint + " is not an http(s) URL", e);
        }
        int port = endpoint.getPort();
        boolean defaultPort = port == -1 || port == url.getDefaultPort();
        this.host = endpoint.getHost() + (defaultPort ? "" : ":" + port);
        this.path = rawPath;
        this.signer = new SigV4Signer(region, "sqs");
        this.credentials = credentials;
        this.clock = clock;
        this.connectTimeoutMs = (int) connectTimeout.toMillis();
        this.readTimeoutMs = (int) readTimeout.toMillis();
    }

    /**
     * Runs {@code AmazonSQS.<operation>} with the given JSON body.
     *
     * @param abortable whether {@link #abortAll()} may cut it short (long polls)
     */
    public byte[] call(String operation, byte[] body, boolean abortable) {
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(operation, body, abortable);
            } catch (TransientFailure e) {
                if (attempt >= ATTEMPTS || (abortable && aborted)) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    /**
     * A short jittered pause before the next attempt (25-50 ms, then 50-100 ms): long enough for a connection
     * reset or a throttled second to pass, short enough that a receive loop hardly notices.
     */
    private static void pause(int attempt) {
        long base = 25L << (attempt - 1);
        try {
            Thread.sleep(base + ThreadLocalRandom.current().nextLong(base + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private byte[] attempt(String operation, byte[] body, boolean abortable) {
        if (abortable && aborted) {
            throw new QueueUnavailableException(operation + " not sent: the worker is draining", null);
        }
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) url.openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setUseCaches(false);
            c.setConnectTimeout(connectTimeoutMs);
            c.setReadTimeout(readTimeoutMs);
            Map<String, String> headers = Map.of("Content-Type", CONTENT_TYPE, "X-Amz-Target", "AmazonSQS." + operation);
            headers.forEach(c::setRequestProperty);
            c.setRequestProperty("User-Agent", USER_AGENT);
            Instant now = clock.instant().plusMillis(clockSkewMs);
            signer.sign(host, path, headers, body, credentials.get(), now).forEach(c::setRequestProperty);
            if (abortable) {
                this.abortable.add(c);
                if (aborted) {
                    throw new QueueUnavailableException(operation + " not sent: the worker is draining", null);
                }
            }
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
            if (abortable && aborted) {
                // abortAll() ran before this connection was connected: its disconnect() did nothing then.
                throw new QueueUnavailableException(operation + " cut short: the worker is draining", null);
            }
            int status = c.getResponseCode();
            byte[] answer = readAll(status >= 400 ? c.getErrorStream() : c.getInputStream());
            if (status / 100 != 2) {
                throw failure(operation, status, answer, c);
            }
            return answer;
        } catch (IOException e) {
            throw new TransientFailure(operation + " failed: " + describe(e), e);
        } catch (QueueUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            // HttpURLConnection throws bare runtime exceptions when another thread disconnects it mid-call
            // (abortAll): an abandoned call, never a reason for the calling thread to die.
            throw new TransientFailure(operation + " failed in the HTTP client: " + e, e);
        } finally {
            if (abortable && c != null) {
                this.abortable.remove(c);
            }
        }
    }

    private RuntimeException failure(String operation, int status, byte[] answer, HttpURLConnection c) {
        SqsJson.Error error = SqsJson.error(answer);
        String queryError = c.getHeaderField("x-amzn-query-error");
        String code = error.type().isEmpty() && queryError != null ? queryError.split(";")[0] : error.type();
        if (code.contains("QueueDoesNotExist") || code.contains("NonExistentQueue")
                || (queryError != null && queryError.contains("NonExistentQueue"))) {
            return new QueueNotFoundException(operation + ": queue does not exist (" + error.message() + ")", null);
        }
        if (CLOCK_ERRORS.contains(code)) {
            long serverTime = c.getHeaderFieldDate("Date", 0);
            if (serverTime > 0) {
                clockSkewMs = serverTime - clock.millis();
            }
        }
        String what = code.isEmpty() ? "HTTP " + status : code + " (HTTP " + status + ")";
        String message = operation + " failed: " + what + (error.message().isEmpty() ? "" : ": " + error.message());
        boolean transientFailure = status >= 500 || status == 429 || CLOCK_ERRORS.contains(code)
                || THROTTLING.contains(code) || (queryError != null && queryError.contains("RequestThrottled"));
        return transientFailure ? new TransientFailure(message, null) : new QueueUnavailableException(message, null);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        if (in == null) {
            return new byte[0];
        }
        // Reading to the end and closing hands the connection back to the keep-alive cache.
        try (in) {
            return in.readAllBytes();
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** Cuts every abortable call in flight short and refuses new ones: a draining worker stops polling at once. */
    public void abortAll() {
        aborted = true;
        for (HttpURLConnection c : abortable) {
            c.disconnect();
        }
    }

    /** Abortable calls under way now (tests wait for a long poll to be in flight before cutting it). */
    public int abortableInFlight() {
        return abortable.size();
    }

    /** Milliseconds this host's clock is behind SQS's, as learned from a refused signature (tests). */
    long clockSkewMs() {
        return clockSkewMs;
    }
}
