package dev.longshore.core.http;

import dev.longshore.core.job.JobFailure;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one outbound HTTP client of every worker (README: Security). Each hop's URL passes the
 * {@link DestinationPolicy}; the connection goes to an address that was checked, never to a second DNS answer;
 * redirects are followed here, hop by hop; the whole exchange, body included, is bounded by a {@link Deadline}.
 *
 * <p>Redirects: a GET (or HEAD) follows 301, 302, 303, 307 and 308. Any other method keeps its method and body
 * on 307 and 308 and fails permanently ({@code <prefix>_redirected}) on 301, 302 and 303, which would silently
 * turn it into a GET. {@code Authorization}, {@code Cookie} and {@code Proxy-*} are dropped when a redirect
 * changes host or port.
 */
public final class HttpFetcher implements AutoCloseable {
    public static final int DEFAULT_MAX_REDIRECTS = 5;
    private static final Logger log = LoggerFactory.getLogger(HttpFetcher.class);
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    /**
     * @param codes        the failure codes of this caller
     * @param maxRedirects hops followed after the first request
     * @param stallTimeout a read that waits longer than this for a byte fails (the deadline still applies)
     */
    public record Options(FailureCodes codes, int maxRedirects, Duration stallTimeout) {
    }

    private final DestinationPolicy policy;
    private final Connector connector;
    private final Throttle throttle;
    private final Options options;
    private final ScheduledThreadPoolExecutor watchdogs;

    public HttpFetcher(DestinationPolicy policy, Connector connector, Throttle throttle, Options options) {
        this.policy = policy;
        this.connector = connector;
        this.throttle = throttle;
        this.options = options;
        // Closes a connection whose deadline passed while a write or TLS handshake was blocked.
        this.watchdogs = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("worker-http-deadline").daemon(true).factory());
        this.watchdogs.setRemoveOnCancelPolicy(true);
    }

    /**
     * Sends {@code request}, following redirects, and returns the final answer with its body unread. Close it.
     *
     * @throws PermanentFailure a refused destination, an invalid URL or header, too many or refused redirects
     * @throws RetryableFailure DNS, connection, TLS, I/O and timeouts
     */
    public FetchResponse fetch(OutboundRequest request, Deadline deadline) throws JobFailure, InterruptedException {
        return fetch(request, deadline, throttle);
    }

    /**
     * As {@link #fetch(OutboundRequest, Deadline)}, with {@code hops} asked for permission before each hop instead
     * of this fetcher's throttle: a caller that already waited for the first hop's turn, before its deadline
     * started, passes one that lets that hop through (the webhook rate limit, README: Security).
     */
    public FetchResponse fetch(OutboundRequest request, Deadline deadline, Throttle hops)
            throws JobFailure, InterruptedException {
        FailureCodes codes = options.codes();
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            if (!Http1Codec.validName(h.getKey()) || Http1Codec.unsafeValue(h.getValue())) {
                throw new PermanentFailure("invalid_header", "header " + safeName(h.getKey())
                        + " holds a control character or a character beyond Latin-1 and cannot be sent");
            }
        }
        URI url = request.uri();
        String method = request.method();
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        Optional<byte[]> body = request.body();
        for (int hop = 0; ; hop++) {
            Destination destination = policy.check(url, codes);
            hops.acquire(destination.host());
            FetchResponse response = exchange(new OutboundRequest(method, url, headers, body), destination, deadline);
            Optional<String> location = response.headers().first("Location");
            if (!REDIRECTS.contains(response.status()) || location.isEmpty()) {
                return response;
            }
            response.close();
            int status = response.status();
            if (hop >= options.maxRedirects()) {
                throw new PermanentFailure(codes.of("too_many_redirects"), "more than " + options.maxRedirects()
                        + " redirects, the last from " + Urls.redact(url));
            }
            boolean safeMethod = method.equals("GET") || method.equals("HEAD");
            if (!safeMethod && status != 307 && status != 308) {
                throw new PermanentFailure(codes.of("redirected"), method + " to " + Urls.redact(url) + " answered "
                        + status + ", which would turn it into a GET without its body; only 307 and 308 are followed");
            }
            URI next = resolve(url, location.get(), codes);
            if (!sameHostAndPort(url, next)) {
                headers.keySet().removeIf(HttpFetcher::credential);
            }
            log.info("Following redirect {} from {} to {}", status, Urls.redact(url), Urls.redact(next));
            url = next;
        }
    }

    private FetchResponse exchange(OutboundRequest request, Destination destination, Deadline deadline)
            throws JobFailure, InterruptedException {
        FailureCodes codes = options.codes();
        Socket socket = connect(destination, deadline);
        long left = Math.max(1, deadline.remainingNanos());
        Future<?> watchdog = watchdogs.schedule(() -> Sockets.closeQuietly(socket), left, TimeUnit.NANOSECONDS);
        try {
            InputStream in = new BufferedInputStream(new TimedSocketInput(socket, deadline, options.stallTimeout()));
            Http1Codec.writeRequest(new BufferedOutputStream(socket.getOutputStream()), request, destination);
            ResponseHead head = Http1Codec.readHead(in);
            InputStream body = Http1Codec.body(in, request.method(), head);
            return new FetchResponse(request.uri(), head, body, socket, watchdog, codes);
        } catch (Http1Codec.Http2Answer e) {
            watchdog.cancel(false);
            Sockets.closeQuietly(socket);
            // The same server gives the same answer on every try: retrying cannot help (README: Security).
            throw new PermanentFailure(codes.of("protocol_error"), Urls.redact(request.uri())
                    + " answered an HTTP/1.1 request with " + e.getMessage() + ": it speaks HTTP/2 cleartext with prior"
                    + " knowledge (h2c) only, which is not supported; serve HTTP/1.1, or https (which negotiates HTTP/1.1)");
        } catch (IOException e) {
            watchdog.cancel(false);
            Sockets.closeQuietly(socket);
            throw interruptedOr(e, codes, request.uri());
        } catch (RuntimeException e) {
            watchdog.cancel(false);
            Sockets.closeQuietly(socket);
            throw e;
        }
    }

    /** Tries each checked address in turn; none is looked up again. */
    private Socket connect(Destination destination, Deadline deadline) throws JobFailure, InterruptedException {
        IOException last = null;
        for (InetAddress address : destination.addresses()) {
            long left = deadline.remainingNanos();
            if (left <= 0) {
                break;
            }
            try {
                return connector.connect(destination, address, (int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
            } catch (IOException e) {
                last = e;
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("interrupted while connecting to " + Urls.redact(destination.uri()));
                }
            }
        }
        if (last == null || deadline.expired()) {
            throw new RetryableFailure(options.codes().of("timeout"), Urls.redact(destination.uri())
                    + " did not complete within " + deadline.budget().toMillis() + " ms");
        }
        throw interruptedOr(last, options.codes(), destination.uri());
    }

    private static JobFailure interruptedOr(IOException e, FailureCodes codes, URI uri) throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("interrupted while talking to " + Urls.redact(uri));
        }
        return TransportFailures.of(e, codes, uri);
    }

    private static URI resolve(URI from, String location, FailureCodes codes) throws PermanentFailure {
        URI next;
        try {
            next = from.resolve(URI.create(location.trim()));
        } catch (IllegalArgumentException e) {
            throw new PermanentFailure(codes.of("bad_redirect"), Urls.redact(from) + " redirected to an invalid URL");
        }
        String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new PermanentFailure(codes.of("bad_redirect"), Urls.redact(from) + " redirected to a '" + scheme
                    + "' URL; only http and https are followed");
        }
        return next;
    }

    static boolean sameHostAndPort(URI a, URI b) {
        return a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static boolean credential(String header) {
        String h = header.toLowerCase(Locale.ROOT);
        return h.equals("authorization") || h.equals("cookie") || h.startsWith("proxy-");
    }

    private static String safeName(String name) {
        return Http1Codec.validName(name) ? name : "(unprintable name)";
    }

    @Override
    public void close() {
        watchdogs.shutdownNow();
    }
}
