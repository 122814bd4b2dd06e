package dev.longshore.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every attack is sent for real, to a server on 127.0.0.1 that misbehaves on purpose. */
class HttpFetcherIT {
    private static final Duration GENEROUS = Duration.ofSeconds(20);
    private static final PrivateDestinations LOOPBACK_LISTED = PrivateDestinations.parse("127.0.0.1");

    private final List<AutoCloseable> started = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable c : started) {
            c.close();
        }
    }

    private RawServer server(RawServer.Handler handler) throws Exception {
        RawServer s = RawServer.start(handler);
        started.add(s);
        return s;
    }

    /** A server that answers {@code head} and then sends nothing more for a minute. */
    private RawServer stallingAfter(String head) throws Exception {
        return server((r, out) -> {
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread.sleep(60_000);
        });
    }

    private HttpFetcher fetcher(PrivateDestinations listed, HostResolver dns, Connector connector, FailureCodes codes,
                                Duration stall) {
        HttpFetcher f = new HttpFetcher(new DestinationPolicy(listed, AllowedHosts.ANY, dns), connector, Throttle.NONE,
                new HttpFetcher.Options(codes, HttpFetcher.DEFAULT_MAX_REDIRECTS, stall));
        started.add(f);
        return f;
    }

    private HttpFetcher fetcher(PrivateDestinations listed) {
        return fetcher(listed, Duration.ofSeconds(10));
    }

    private HttpFetcher fetcher(PrivateDestinations listed, Duration stall) {
        return fetcher(listed, HostResolver.SYSTEM, SocketConnector.withDefaultTrust(), FailureCodes.INPUT, stall);
    }

    /**
     * Fetches {@code url} and copies its body, at most 1 MiB, to {@code sink}; returns the {@code failure} that must
     * end it before GENEROUS has passed.
     */
    private static <T extends Throwable> T failsToTransfer(Class<T> failure, HttpFetcher fetcher, String url,
                                                           Duration deadline, OutputStream sink) {
        return assertTimeoutPreemptively(GENEROUS, () -> assertThrows(failure, () -> {
            try (FetchResponse r = fetcher.fetch(get(url), Deadline.after(deadline))) {
                r.transferTo(sink, 1 << 20, "TEST_LIMIT");
            }
        }));
    }

    /** Fetches and reads {@code url} with this stall timeout and deadline; it must fail as input_timeout. */
    private RetryableFailure inputTimeout(String url, Duration stall, Duration deadline) {
        RetryableFailure failure = failsToTransfer(RetryableFailure.class, fetcher(LOOPBACK_LISTED, stall), url, deadline,
                OutputStream.nullOutputStream());
        assertEquals("input_timeout", failure.code());
        return failure;
    }

    private static OutboundRequest get(String url) {
        return OutboundRequest.get(URI.create(url), Map.of("User-Agent", "test"));
    }

    private static void ok(OutputStream out, String text) throws Exception {
        RawServer.respond(out, 200, Map.of(), text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void loopbackIsRefusedByDefaultAndNeverConnected() throws Exception {
        RawServer s = server((r, out) -> ok(out, "secret"));
        PermanentFailure f = assertThrows(PermanentFailure.class,
                () -> fetcher(PrivateDestinations.none()).fetch(get(s.url("/admin?token=abc")), Deadline.after(GENEROUS)));
        assertEquals("input_forbidden", f.code());
        assertTrue(f.reason().contains("127.0.0.1") && f.reason().contains("loopback"), f.reason());
        assertFalse(f.reason().contains("admin") || f.reason().contains("token"), "no path or query: " + f.reason());
        assertEquals(0, s.connections());
    }

    @Test
    void loopbackListedInPrivateDestinationsIsFetched() throws Exception {
        RawServer s = server((r, out) -> ok(out, "hello"));
        try (FetchResponse r = fetcher(LOOPBACK_LISTED).fetch(get(s.url("/x")), Deadline.after(GENEROUS))) {
            assertEquals(200, r.status());
            assertEquals("hello", r.readText(100));
        }
        assertEquals("127.0.0.1:" + s.port(), s.requests().get(0).header("Host"));
    }

    @ParameterizedTest(name = "{0} to {1}")
    @CsvSource({
            "302, http://169.254.169.254/latest/meta-data/, instance-metadata",
            "307, http://10.1.2.3/internal, private"})
    void redirectToInstanceMetadataOrAPrivateNetworkIsRefusedOnTheHop(int status, String target, String named)
            throws Exception {
        RawServer s = server((r, out) -> RawServer.redirect(out, status, target));
        PermanentFailure f = assertThrows(PermanentFailure.class,
                () -> fetcher(LOOPBACK_LISTED).fetch(get(s.url("/start")), Deadline.after(GENEROUS)));
        assertEquals("input_forbidden", f.code());
        assertTrue(f.reason().contains(named), f.reason());
    }

    @Test
    void dnsRebindingCannotMoveTheConnectionAfterTheCheck() throws Exception {
        RawServer s = server((r, out) -> ok(out, "checked"));
        AtomicInteger lookups = new AtomicInteger();
        // First answer: the address the policy accepts. Any later answer: a loopback address that is not listed.
        HostResolver rebinding = host -> List.of(InetAddress.getByName(
                lookups.getAndIncrement() == 0 ? "127.0.0.1" : "127.0.0.2"));
        List<InetAddress> connectedTo = new CopyOnWriteArrayList<>();
        Connector recording = (d, a, t) -> {
            connectedTo.add(a);
            return SocketConnector.withDefaultTrust().connect(d, a, t);
        };
        // The throttle runs between check and connect (the webhook rate limiter may sleep there): a rebind now
        // must not matter either.
        Throttle rebindWhileWaiting = host -> {
            try {
                rebinding.resolve(host);
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
        };
        HttpFetcher f = new HttpFetcher(new DestinationPolicy(LOOPBACK_LISTED, AllowedHosts.ANY, rebinding), recording,
                rebindWhileWaiting, new HttpFetcher.Options(FailureCodes.INPUT, 5, Duration.ofSeconds(10)));
        started.add(f);
        try (FetchResponse r = f.fetch(get("http://rebind.attacker.test:" + s.port() + "/"), Deadline.after(GENEROUS))) {
            assertEquals("checked", r.readText(100));
        }
        assertEquals(List.of(InetAddress.getByName("127.0.0.1")), connectedTo, "only the checked address is dialled");
        assertEquals("rebind.attacker.test:" + s.port(), s.requests().get(0).header("Host"), "the name stays in Host");
    }

    @Test
    void dripFeedingServerIsCutAtTheDeadline() throws Exception {
        RawServer s = server((r, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i < 100_000; i++) {
                out.write('x');
                out.flush();
                Thread.sleep(100);
            }
        });
        RetryableFailure failure = inputTimeout(s.url("/drip"), Duration.ofSeconds(30), Duration.ofMillis(800));
        assertTrue(failure.reason().contains("did not complete within 800 ms"), failure.reason());
    }

    @Test
    void stalledServerFailsAfterTheStallTimeout() throws Exception {
        RawServer s = stallingAfter("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab");
        RetryableFailure failure = inputTimeout(s.url("/stall"), Duration.ofMillis(300), Duration.ofMinutes(5));
        assertTrue(failure.reason().startsWith("no data from http://127.0.0.1:" + s.port()), failure.reason());
    }

    @Test
    void endlessBodyStopsAtTheSizeCapWithoutBufferingIt() throws Exception {
        byte[] block = new byte[64 * 1024];
        RawServer s = server((r, out) -> {
            // 600 MB announced, streamed until the client hangs up.
            out.write("HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            for (long sent = 0; sent < 600L << 20; sent += block.length) {
                out.write(block);
            }
        });
        HttpFetcher f = fetcher(LOOPBACK_LISTED);
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        PermanentFailure failure = failsToTransfer(PermanentFailure.class, f, s.url("/huge"), GENEROUS, kept);
        assertEquals("input_too_large", failure.code());
        assertTrue(kept.size() <= 1 << 20, "never more than the cap is written: " + kept.size());
    }

    @Test
    void declaredOversizedBodyIsRefusedBeforeReading() throws Exception {
        RawServer s = stallingAfter("HTTP/1.1 200 OK\r\nContent-Length: 629145600\r\n\r\n");
        PermanentFailure failure = failsToTransfer(PermanentFailure.class, fetcher(LOOPBACK_LISTED), s.url("/big"), GENEROUS,
                OutputStream.nullOutputStream());
        assertTrue(failure.reason().contains("629145600"), failure.reason());
    }

    @Test
    void hugeAnswerReadForAReasonKeepsOnlyTheSnippet() throws Exception {
        byte[] block = "e".repeat(64 * 1024).getBytes(StandardCharsets.ISO_8859_1);
        RawServer s = server((r, out) -> {
            out.write("HTTP/1.1 500 Oops\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            for (long sent = 0; sent < 600L << 20; sent += block.length) {
                out.write((Integer.toHexString(block.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(block);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
        });
        String snippet = assertTimeoutPreemptively(GENEROUS, () -> {
            try (FetchResponse r = fetcher(LOOPBACK_LISTED).fetch(get(s.url("/err")), Deadline.after(GENEROUS))) {
                assertEquals(500, r.status());
                return r.readText(4096);
            }
        });
        assertEquals(4096, snippet.length());
    }

    @Test
    void postKeepsMethodAndBodyOn307AndRefuses302() throws Exception {
        RawServer target = server((r, out) -> ok(out, "done"));
        RawServer temporary = server((r, out) -> RawServer.redirect(out, 307, target.url("/final")));
        RawServer found = server((r, out) -> RawServer.redirect(out, 302, target.url("/final")));
        HttpFetcher f = fetcher(LOOPBACK_LISTED, HostResolver.SYSTEM, SocketConnector.withDefaultTrust(),
                FailureCodes.WEBHOOK, Duration.ofSeconds(10));
        OutboundRequest post = new OutboundRequest("POST", URI.create(temporary.url("/hook")),
                Map.of("Authorization", "Bearer s3cret", "Cookie", "a=b", "Proxy-Authorization", "x", "X-Keep", "1"),
                Optional.of("José".getBytes(StandardCharsets.UTF_8)));
        try (FetchResponse r = f.fetch(post, Deadline.after(GENEROUS))) {
            assertEquals(200, r.status());
        }
        RawServer.Request followed = target.requests().get(0);
        assertEquals("POST", followed.method());
        assertEquals("José", followed.bodyText());
        assertEquals("1", followed.header("X-Keep"));
        assertNull(followed.header("Authorization"), "credentials do not follow to another port");
        assertNull(followed.header("Cookie"));
        assertNull(followed.header("Proxy-Authorization"));

        OutboundRequest post302 = new OutboundRequest("POST", URI.create(found.url("/hook")), Map.of(),
                Optional.of(new byte[]{1}));
        PermanentFailure refused = assertThrows(PermanentFailure.class, () -> f.fetch(post302, Deadline.after(GENEROUS)));
        assertEquals("webhook_redirected", refused.code());
        assertEquals(1, target.requests().size(), "the 302 was not followed");
    }

    @Test
    void getFollowsEveryRedirectKindAndStopsAfterTheLimit() throws Exception {
        RawServer target = server((r, out) -> ok(out, "video"));
        for (int status : List.of(301, 302, 303, 307, 308)) {
            RawServer hop = server((r, out) -> RawServer.redirect(out, status, target.url("/v.mp4")));
            try (FetchResponse r = fetcher(LOOPBACK_LISTED).fetch(get(hop.url("/in")), Deadline.after(GENEROUS))) {
                assertEquals("video", r.readText(100), "status " + status);
            }
        }
        RawServer loop = server((r, out) -> RawServer.redirect(out, 302, "/again"));
        PermanentFailure f = assertThrows(PermanentFailure.class,
                () -> fetcher(LOOPBACK_LISTED).fetch(get(loop.url("/again")), Deadline.after(GENEROUS)));
        assertEquals("input_too_many_redirects", f.code());
        assertEquals(HttpFetcher.DEFAULT_MAX_REDIRECTS + 1, loop.requests().size());
    }

    @Test
    void headerValuesThatCouldSplitTheRequestAreRefusedBeforeConnecting() throws Exception {
        RawServer s = server((r, out) -> ok(out, ""));
        for (String bad : List.of("a\r\nInjected: 1", "nul\u0000", "snow\u2603man")) {
            OutboundRequest r = OutboundRequest.get(URI.create(s.url("/")), Map.of("X-Bad", bad));
            PermanentFailure f = assertThrows(PermanentFailure.class, () -> fetcher(LOOPBACK_LISTED).fetch(r,
                    Deadline.after(GENEROUS)));
            assertEquals("invalid_header", f.code());
        }
        assertEquals(0, s.connections());
    }

    @Test
    void connectionRefusedIsRetryable() throws Exception {
        int closedPort;
        try (var probe = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = probe.getLocalPort();
        }
        RetryableFailure f = assertThrows(RetryableFailure.class, () -> fetcher(LOOPBACK_LISTED)
                .fetch(get("http://127.0.0.1:" + closedPort + "/"), Deadline.after(GENEROUS)));
        assertEquals("input_connection", f.code());
    }
    @Test
    void anHttp2OnlyServerIsAPermanentProtocolErrorNotAnEndlessRetry() throws Exception {
        byte[] settingsFrame = {0, 0, 6, 0x4, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 100};
        byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        for (byte[] answer : List.of(settingsFrame, preface)) {
            RawServer s = server((r, out) -> {
                out.write(answer);
                out.flush();
            });
            PermanentFailure f = assertThrows(PermanentFailure.class,
                    () -> fetcher(LOOPBACK_LISTED).fetch(get(s.url("/h2")), Deadline.after(GENEROUS)));
            assertEquals("input_protocol_error", f.code());
            assertTrue(f.reason().contains("HTTP/2 cleartext") && f.reason().contains("not supported"), f.reason());
        }
    }

    @Test
    void aThrottleGivenToOneFetchIsAskedForEveryHopInsteadOfTheFetchersOwn() throws Exception {
        RawServer target = server((r, out) -> ok(out, "done"));
        RawServer hop = server((r, out) -> RawServer.redirect(out, 302, target.url("/final")));
        List<String> asked = new CopyOnWriteArrayList<>();
        try (FetchResponse r = fetcher(LOOPBACK_LISTED).fetch(get(hop.url("/start")), Deadline.after(GENEROUS), asked::add)) {
            assertEquals("done", r.readText(10));
        }
        assertEquals(List.of("127.0.0.1", "127.0.0.1"), asked);
    }
}
