package dev.longshore.video.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.longshore.core.http.AllowedHosts;
import dev.longshore.core.http.DestinationPolicy;
import dev.longshore.core.http.FailureCodes;
import dev.longshore.core.http.HostResolver;
import dev.longshore.core.http.HttpFetcher;
import dev.longshore.core.http.PrivateDestinations;
import dev.longshore.core.http.SocketConnector;
import dev.longshore.core.http.Throttle;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** http(s) inputs of the video worker, through worker-core's fetcher, against a server on 127.0.0.1. */
class HttpInputTest {
    private static final Duration GENEROUS = Duration.ofSeconds(20);
    @TempDir
    Path tmp;
    private HttpServer server;
    private ExecutorService executor;
    private final byte[] video = "pretend-this-is-video".repeat(1000).getBytes();
    private final java.util.List<HttpFetcher> fetchers = new java.util.ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/clip.mp4", ex -> {
            ex.sendResponseHeaders(200, video.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(video);
            }
        });
        server.createContext("/moved", ex -> {
            ex.getResponseHeaders().add("Location", "/clip.mp4");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/to-metadata", ex -> {
            ex.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/busy", ex -> {
            ex.sendResponseHeaders(503, -1);
            ex.close();
        });
        server.createContext("/stall", ex -> {
            ex.sendResponseHeaders(200, 1000);
            OutputStream out = ex.getResponseBody();
            out.write(new byte[10]);
            out.flush();
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        server.createContext("/endless", ex -> {
            ex.sendResponseHeaders(200, 0);
            byte[] block = new byte[64 * 1024];
            try (OutputStream out = ex.getResponseBody()) {
                for (long sent = 0; sent < 600L << 20; sent += block.length) {
                    out.write(block);
                }
            } catch (java.io.IOException e) {
                // the worker hung up, as it should
            }
        });
        executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("http-input-test-", 1).factory());
        server.setExecutor(executor);
        server.start();
    }

    @AfterEach
    void stop() {
        fetchers.forEach(HttpFetcher::close);
        server.stop(0);
        executor.shutdownNow();
    }

    private InputFetcher inputs(PrivateDestinations listed, long maxBytes, Duration stall) {
        HttpFetcher http = new HttpFetcher(new DestinationPolicy(listed, AllowedHosts.ANY, HostResolver.SYSTEM),
                SocketConnector.withDefaultTrust(), Throttle.NONE,
                new HttpFetcher.Options(FailureCodes.INPUT, HttpFetcher.DEFAULT_MAX_REDIRECTS, stall));
        fetchers.add(http);
        return new InputFetcher(null, http, maxBytes, GENEROUS, FileRoots.any());
    }

    private InputFetcher listed() {
        return inputs(PrivateDestinations.parse("127.0.0.1"), 1 << 20, Duration.ofSeconds(5));
    }

    private HttpLocation at(String path) {
        return new HttpLocation(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path));
    }

    @Test
    void downloadsAndFollowsRedirectsWhenLoopbackIsListed() throws Exception {
        listed().fetch(at("/moved"), tmp.resolve("input"));
        assertArrayEquals(video, Files.readAllBytes(tmp.resolve("input")));
    }

    @Test
    void loopbackInputIsRefusedByDefault() {
        InputFetcher unlisted = inputs(PrivateDestinations.none(), 1 << 20, Duration.ofSeconds(5));
        PermanentFailure f = assertThrows(PermanentFailure.class,
                () -> unlisted.fetch(at("/clip.mp4?X-Amz-Signature=abc"), tmp.resolve("i")));
        assertEquals("input_forbidden", f.code());
        assertFalse(f.reason().contains("clip") || f.reason().contains("Signature"), f.reason());
        assertFalse(Files.exists(tmp.resolve("i")));
    }

    @Test
    void missingInputIsPermanentAndServerErrorRetryable() {
        assertEquals("input_not_found", assertThrows(PermanentFailure.class,
                () -> listed().fetch(at("/nope"), tmp.resolve("i"))).code());
        assertEquals("input_http_503", assertThrows(RetryableFailure.class,
                () -> listed().fetch(at("/busy"), tmp.resolve("i"))).code());
    }

    @Test
    void redirectToInstanceMetadataIsRefused() {
        PermanentFailure f = assertThrows(PermanentFailure.class, () -> listed().fetch(at("/to-metadata"), tmp.resolve("i")));
        assertEquals("input_forbidden", f.code());
        assertTrue(f.reason().contains("169.254.169.254"), f.reason());
    }

    @Test
    void oversizedAndEndlessInputsStopAtTheCap() {
        assertEquals("input_too_large", assertThrows(PermanentFailure.class,
                () -> inputs(PrivateDestinations.parse("127.0.0.1"), 100, Duration.ofSeconds(5))
                        .fetch(at("/clip.mp4"), tmp.resolve("a"))).code());
        PermanentFailure endless = assertTimeoutPreemptively(GENEROUS, () -> assertThrows(PermanentFailure.class,
                () -> listed().fetch(at("/endless"), tmp.resolve("b"))));
        assertEquals("input_too_large", endless.code());
        assertTrue(endless.reason().contains("WORKER_VIDEO_MAX_INPUT_SIZE"), endless.reason());
    }

    @Test
    void serverThatStopsSendingTimesOut() {
        InputFetcher quick = inputs(PrivateDestinations.parse("127.0.0.1"), 1 << 20, Duration.ofMillis(500));
        RetryableFailure f = assertTimeoutPreemptively(GENEROUS, () -> assertThrows(RetryableFailure.class,
                () -> quick.fetch(at("/stall"), tmp.resolve("i"))));
        assertEquals("input_timeout", f.code());
    }
}
