package dev.longshore.core.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.WorkerState;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HealthServerTest {

    /** A generous bound: the README promises a second; this only has to fail when answers queue behind a stall. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);

    private static final class Source implements HealthSource {
        final AtomicBoolean live = new AtomicBoolean(true);

        @Override
        public WorkerState state() {
            return WorkerState.READY;
        }

        @Override
        public String reason() {
            return "";
        }

        @Override
        public boolean live() {
            return live.get();
        }

        @Override
        public String metricsText() {
            return "longshore_messages_received_total 0\n";
        }
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(ANSWER_WITHIN)
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aClientStalledMidRequestDoesNotDelayOtherClients() throws Exception {
        try (HealthServer server = HealthServer.start("127.0.0.1", 0, new Source(), "test");
             HttpClient http = HttpClient.newBuilder().connectTimeout(ANSWER_WITHIN).build();
             Socket stalled = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            OutputStream out = stalled.getOutputStream();
            out.write("GET /health/li".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The stalled client never finishes its request line; every other endpoint still answers at once.
            assertEquals(200, get(http, server.port(), "/health/live").statusCode());
            assertEquals(200, get(http, server.port(), "/health/ready").statusCode());
            HttpResponse<String> metrics = get(http, server.port(), "/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("longshore_messages_received_total"), metrics.body());
        }
    }

    @Test
    void aStalledRequestIsClosedAfterTheReadTimeout() throws Exception {
        try (HealthServer server = HealthServer.start("127.0.0.1", 0, new Source(), "test", Duration.ofMillis(200));
             Socket stalled = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            stalled.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            stalled.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
            InputStream in = stalled.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 408"), answer);
        }
    }

    @Test
    void aFloodOfStalledClientsIsRefusedBeyondTheLimitAndTheEndpointAnswersOnceTheyGo() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try (HealthServer server = HealthServer.start("127.0.0.1", 0, new Source(), "test", Duration.ofMinutes(1));
             HttpClient http = HttpClient.newBuilder().connectTimeout(ANSWER_WITHIN).build()) {
            try {
                for (int i = 0; i < HealthServer.MAX_CONNECTIONS; i++) {
                    Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
                    stalled.add(s);
                    s.getOutputStream().write("GET /health/li".getBytes(StandardCharsets.US_ASCII));
                }
                try (Socket extra = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                    // Refused, not queued: closed at once rather than after the minute the stalled ones may take.
                    extra.setSoTimeout((int) ANSWER_WITHIN.toMillis());
                    assertEquals(-1, extra.getInputStream().read());
                }
            } finally {
                for (Socket s : stalled) {
                    s.close();
                }
            }
            long deadline = System.nanoTime() + ANSWER_WITHIN.toNanos();
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline) {
                try {
                    status = get(http, server.port(), "/health/ready").statusCode();
                } catch (java.io.IOException refusedWhileSlotsFree) {
                    Thread.onSpinWait();
                }
            }
            assertEquals(200, status, "the slots came back when the stalled clients left");
        }
    }

    @Test
    void liveIs503WhenTheSourceIsWedgedAndUnknownPathsAre404() throws Exception {
        Source source = new Source();
        try (HealthServer server = HealthServer.start("127.0.0.1", 0, source, "test");
             HttpClient http = HttpClient.newBuilder().connectTimeout(ANSWER_WITHIN).build()) {
            source.live.set(false);
            HttpResponse<String> live = get(http, server.port(), "/health/live");
            assertEquals(503, live.statusCode());
            assertTrue(live.body().contains("\"live\":false"), live.body());
            assertEquals(404, get(http, server.port(), "/nope").statusCode());
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/health/live")).timeout(ANSWER_WITHIN)
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
            HttpResponse<Void> head = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/health/ready")).timeout(ANSWER_WITHIN)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            assertEquals(200, head.statusCode());
        }
    }
}
