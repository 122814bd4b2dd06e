package dev.longshore.core.queue.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.longshore.core.queue.QueueNotFoundException;
import dev.longshore.core.queue.QueueUnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The wire client against a local server that answers as SQS's JSON protocol does, errors included. */
class SqsWireClientTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    private HttpServer server;
    private ExecutorService serverThreads;
    private final Map<String, String> lastHeaders = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Handler handler = e -> answer(e, 200, "{}");
    private final CountDownLatch held = new CountDownLatch(1);

    interface Handler {
        void handle(HttpExchange e) throws IOException;
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        serverThreads = Executors.newFixedThreadPool(4, Thread.ofPlatform().name("fake-sqs-", 1).daemon().factory());
        server.setExecutor(serverThreads);
        server.createContext("/", e -> {
            e.getRequestHeaders().forEach((k, v) -> lastHeaders.put(k.toLowerCase(java.util.Locale.ROOT), v.getFirst()));
            lastHeaders.put("body", new String(e.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            requests.incrementAndGet();
            handler.handle(e);
        });
        server.start();
    }

    @AfterEach
    void stop() {
        held.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private SqsWireClient client(Clock clock) {
        return new SqsWireClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "eu-west-1",
                () -> new SigningCredentials("AK", "SK", "TOKEN"), clock, Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    private static void answer(HttpExchange e, int status, String body, String... headers) throws IOException {
        for (int i = 0; i < headers.length; i += 2) {
            e.getResponseHeaders().add(headers[i], headers[i + 1]);
        }
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        e.sendResponseHeaders(status, b.length);
        e.getResponseBody().write(b);
        e.close();
    }

    @Test
    void aCallIsASignedJsonPostNamingItsOperation() {
        handler = e -> answer(e, 200, "{\"Messages\":[]}");
        byte[] answer = client(Clock.fixed(NOW, ZoneOffset.UTC)).call("ReceiveMessage",
                "{\"QueueUrl\":\"q\"}".getBytes(StandardCharsets.UTF_8), true);
        assertArrayEquals("{\"Messages\":[]}".getBytes(StandardCharsets.UTF_8), answer);
        assertEquals("AmazonSQS.ReceiveMessage", lastHeaders.get("x-amz-target"));
        assertEquals("application/x-amz-json-1.0", lastHeaders.get("content-type"));
        assertEquals("20261126T120000Z", lastHeaders.get("x-amz-date"));
        assertEquals("TOKEN", lastHeaders.get("x-amz-security-token"));
        assertTrue(lastHeaders.get("authorization").startsWith("AWS4-HMAC-SHA256 Credential=AK/20261126/eu-west-1/sqs/aws4_request, "),
                lastHeaders.get("authorization"));
        assertEquals("{\"QueueUrl\":\"q\"}", lastHeaders.get("body"));
    }

    @Test
    void aMissingQueueIsQueueNotFound() {
        handler = e -> answer(e, 400, "{\"__type\":\"com.amazonaws.sqs#QueueDoesNotExist\",\"message\":\"The specified queue does not exist.\"}",
                "x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender");
        QueueNotFoundException e = assertThrows(QueueNotFoundException.class,
                () -> client(Clock.systemUTC()).call("DeleteMessageBatch", new byte[0], false));
        assertEquals("DeleteMessageBatch: queue does not exist (The specified queue does not exist.)", e.getMessage());
    }

    @Test
    void aThrottledOrFailingServiceIsUnavailableWithItsCodeAndStatus() {
        handler = e -> answer(e, 400, "{\"__type\":\"com.amazonaws.sqs#ThrottlingException\",\"message\":\"Rate exceeded\"}");
        QueueUnavailableException throttled = assertThrows(QueueUnavailableException.class,
                () -> client(Clock.systemUTC()).call("ReceiveMessage", new byte[0], true));
        assertEquals("ReceiveMessage failed: ThrottlingException (HTTP 400): Rate exceeded", throttled.getMessage());

        handler = e -> answer(e, 503, "<html>Service Unavailable</html>");
        QueueUnavailableException down = assertThrows(QueueUnavailableException.class,
                () -> client(Clock.systemUTC()).call("ReceiveMessage", new byte[0], true));
        assertEquals("ReceiveMessage failed: HTTP 503", down.getMessage());
    }

    @Test
    void aServerErrorOrAResetIsTriedAgainBeforeTheCallFails() {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        handler = e -> {
            if (calls.incrementAndGet() == 1) {
                answer(e, 500, "{\"__type\":\"com.amazonaws.sqs#InternalError\",\"message\":\"try again\"}");
            } else {
                answer(e, 200, "{\"Messages\":[]}");
            }
        };
        assertArrayEquals("{\"Messages\":[]}".getBytes(StandardCharsets.UTF_8),
                client(Clock.systemUTC()).call("ReceiveMessage", new byte[0], true));
        assertEquals(2, requests.get());
    }

    @Test
    void aTransientFailureGivesUpAfterThreeAttemptsAndARefusedRequestAfterOne() {
        handler = e -> answer(e, 400, "{\"__type\":\"com.amazonaws.sqs#ThrottlingException\",\"message\":\"Rate exceeded\"}");
        assertThrows(QueueUnavailableException.class, () -> client(Clock.systemUTC()).call("DeleteMessageBatch", new byte[0], false));
        assertEquals(SqsWireClient.ATTEMPTS, requests.get());

        requests.set(0);
        handler = e -> answer(e, 400, "{\"__type\":\"com.amazonaws.sqs#InvalidParameterValue\",\"message\":\"no\"}");
        QueueUnavailableException refused = assertThrows(QueueUnavailableException.class,
                () -> client(Clock.systemUTC()).call("DeleteMessageBatch", new byte[0], false));
        assertEquals("DeleteMessageBatch failed: InvalidParameterValue (HTTP 400): no", refused.getMessage());
        assertEquals(1, requests.get());
    }

    @Test
    void aRefusedSignatureForAWrongClockIsSignedWithTheServersTimeNext() {
        // The server stamps its own Date header (the real time); this host's clock runs 20 minutes behind it.
        Instant behind = Instant.now().minus(Duration.ofMinutes(20));
        handler = e -> answer(e, 400, "{\"__type\":\"com.amazonaws.sqs#RequestTimeTooSkewed\",\"message\":\"skewed\"}");
        SqsWireClient client = client(Clock.fixed(behind, ZoneOffset.UTC));
        assertThrows(QueueUnavailableException.class, () -> client.call("ReceiveMessage", new byte[0], true));
        assertEquals(Duration.ofMinutes(20).toSeconds(), client.clockSkewMs() / 1000.0, 5);

        handler = e -> answer(e, 200, "{}");
        client.call("ReceiveMessage", new byte[0], true);
        Instant signedAt = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
                .parse(lastHeaders.get("x-amz-date"), Instant::from);
        assertEquals(0, Duration.between(Instant.now(), signedAt).toSeconds(), 5);
    }

    @Test
    void anUnreachableEndpointIsUnavailableNotACrash() throws IOException {
        int closedPort;
        try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        SqsWireClient client = new SqsWireClient(URI.create("http://127.0.0.1:" + closedPort), "eu-west-1",
                () -> new SigningCredentials("AK", "SK", null), Clock.systemUTC(), Duration.ofSeconds(1), Duration.ofSeconds(1));
        QueueUnavailableException e = assertThrows(QueueUnavailableException.class,
                () -> client.call("DeleteMessageBatch", new byte[0], false));
        assertTrue(e.getMessage().startsWith("DeleteMessageBatch failed: ConnectException"), e.getMessage());
    }

    @Test
    void abortingCutsALongPollShortAndRefusesTheNextOne() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        handler = e -> {
            arrived.countDown();
            try {
                held.await(30, TimeUnit.SECONDS); // a 20 s long poll that would not end by itself in time
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            answer(e, 200, "{}");
        };
        SqsWireClient client = client(Clock.systemUTC());
        ExecutorService caller = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("long-poll").factory());
        try {
            Future<?> poll = caller.submit(() -> client.call("ReceiveMessage", new byte[0], true));
            assertTrue(arrived.await(5, TimeUnit.SECONDS));
            client.abortAll();
            java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> poll.get(5, TimeUnit.SECONDS));
            assertTrue(failed.getCause() instanceof QueueUnavailableException, failed.getCause().toString());
            QueueUnavailableException refused = assertThrows(QueueUnavailableException.class,
                    () -> client.call("ReceiveMessage", new byte[0], true));
            assertEquals("ReceiveMessage not sent: the worker is draining", refused.getMessage());
            // Deletes still go out after the abort: a drain flushes them.
            held.countDown();
            handler = e -> answer(e, 200, "{}");
            client.call("DeleteMessageBatch", new byte[0], false);
        } finally {
            caller.shutdownNow();
        }
    }
}
