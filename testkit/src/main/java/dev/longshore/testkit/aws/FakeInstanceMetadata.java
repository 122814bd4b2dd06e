package dev.longshore.testkit.aws;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Instance metadata with IMDSv2 only (as launch templates set HttpTokens=required): {@code PUT /latest/api/token}
 * with {@code X-aws-ec2-metadata-token-ttl-seconds} (1 to 21600) returns a token; {@code GET /latest/meta-data/...}
 * needs it in {@code X-aws-ec2-metadata-token} and answers 401 when it is missing, unknown or expired, 404 for
 * paths that have no value (a spot notice before there is one).
 */
public final class FakeInstanceMetadata {
    public static final String TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";
    public static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";
    public static final String LIFECYCLE_STATE = "autoscaling/target-lifecycle-state";
    public static final String SPOT_ACTION = "spot/instance-action";
    public static final String REBALANCE = "events/recommendations/rebalance";

    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final Map<String, String> values = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final AtomicInteger unauthorized = new AtomicInteger();
    private final InjectedFailures failures = new InjectedFailures();
    private volatile Duration ttlCap;
    private volatile Clock clock = Clock.systemUTC();

    FakeInstanceMetadata(String instanceId) {
        values.put("instance-id", instanceId);
        values.put("placement/region", FakeAws.REGION);
        values.put(LIFECYCLE_STATE, "InService");
    }

    /** Sets what a metadata path returns, e.g. {@code set(LIFECYCLE_STATE, "Terminated")}. */
    public void set(String path, String value) {
        values.put(path, value);
    }

    /** Makes a path answer 404 again. */
    public void remove(String path) {
        values.remove(path);
    }

    public Optional<String> value(String path) {
        return Optional.ofNullable(values.get(path));
    }

    /** Publishes a spot interruption notice, as EC2 does two minutes before it acts. */
    public void spotInterruption(String action, Instant at) {
        set(SPOT_ACTION, "{\"action\": \"" + action + "\", \"time\": \"" + at.toString().replaceAll("\\.\\d+Z$", "Z") + "\"}");
    }

    public void rebalanceRecommendation(Instant noticeTime) {
        set(REBALANCE, "{\"noticeTime\": \"" + noticeTime + "\"}");
    }

    /** Every token issued so far answers 401 from now on, as after an instance metadata restart. */
    public void invalidateTokens() {
        tokens.clear();
    }

    /** Token lifetimes run on {@code clock} (a MutableClock lets a test expire tokens without waiting). */
    public void useClock(Clock clock) {
        this.clock = clock;
    }

    /** Tokens live at most this long whatever TTL the client asked for (a client must cope with 401). */
    public void capTokenTtl(Duration cap) {
        this.ttlCap = cap;
    }

    /**
     * While on, every request answers 503, as the service does while it restarts or throttles hard; off also drops
     * errors {@link #failNext} left pending.
     */
    public void serviceErrors(boolean on) {
        if (on) {
            failures.addUntilCleared(InjectedFailures.ANY, 503, "Service Unavailable");
        } else {
            failures.clear();
        }
    }

    /** The next {@code times} requests, token requests included, answer {@code status} (503 when throttled, 500). */
    public void failNext(int times, int status) {
        if (status < 500) {
            throw new IllegalArgumentException("failNext(" + times + ", " + status + "): instance metadata fails with 5xx");
        }
        failures.add(InjectedFailures.ANY, times, status, status == 503 ? "Service Unavailable" : "Internal Server Error");
    }

    /** Requests answered with a service error ({@link #serviceErrors} or {@link #failNext}) so far. */
    public int serviceErrorsAnswered() {
        return failures.answered();
    }

    public int tokensIssued() {
        return tokensIssued.get();
    }

    /** Requests answered 401 (missing, unknown or expired token). */
    public int unauthorized() {
        return unauthorized.get();
    }

    /** Successful reads of {@code path}. */
    public int reads(String path) {
        AtomicInteger n = reads.get(path);
        return n == null ? 0 : n.get();
    }

    void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        Optional<InjectedFailures.Failure> failure = failures.take(path);
        if (failure.isPresent()) {
            // Instance metadata answers errors as plain text: the reason phrase is the body.
            Http.send(exchange, failure.get().status(), "text/plain", failure.get().code() + "\n");
        } else if (exchange.getRequestHeaders().getFirst("X-Forwarded-For") != null) {
            Http.send(exchange, 403, "text/plain", "Forbidden\n");
        } else if (path.equals("/latest/api/token")) {
            if (!method.equals("PUT")) {
                Http.send(exchange, 405, "text/plain", "Method Not Allowed\n");
                return;
            }
            issueToken(exchange);
        } else if (path.startsWith("/latest/meta-data/") && method.equals("GET")) {
            String token = exchange.getRequestHeaders().getFirst(TOKEN_HEADER);
            Instant expiry = token == null ? null : tokens.get(token);
            if (expiry == null || !clock.instant().isBefore(expiry)) {
                unauthorized.incrementAndGet();
                Http.send(exchange, 401, "text/plain", "Unauthorized\n");
                return;
            }
            String key = path.substring("/latest/meta-data/".length());
            String value = values.get(key);
            if (value == null) {
                Http.send(exchange, 404, "text/html", "<html><body><h1>404 - Not Found</h1></body></html>\n");
                return;
            }
            reads.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            Http.send(exchange, 200, "text/plain", value);
        } else {
            Http.send(exchange, 404, "text/plain", "Not Found\n");
        }
    }

    private void issueToken(HttpExchange exchange) throws IOException {
        String raw = exchange.getRequestHeaders().getFirst(TTL_HEADER);
        long seconds;
        try {
            seconds = raw == null ? -1 : Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 1 || seconds > 21_600) {
            Http.send(exchange, 400, "text/plain", "Bad Request\n");
            return;
        }
        Duration ttl = Duration.ofSeconds(seconds);
        Duration cap = ttlCap;
        if (cap != null && cap.compareTo(ttl) < 0) {
            ttl = cap;
        }
        String token = "AQAEA" + UUID.randomUUID().toString().replace("-", "");
        tokens.put(token, clock.instant().plus(ttl));
        tokensIssued.incrementAndGet();
        exchange.getResponseHeaders().set(TTL_HEADER, String.valueOf(Math.max(1, ttl.toSeconds())));
        Http.send(exchange, 200, "text/plain", token);
    }
}
