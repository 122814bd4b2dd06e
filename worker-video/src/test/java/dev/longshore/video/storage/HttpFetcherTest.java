package dev.longshore.video.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpFetcherTest {
    @TempDir
    Path tmp;
    private HttpServer server;
    private final byte[] video = "pretend-this-is-video".repeat(1000).getBytes();
    private final HttpFetcher fetcher = new HttpFetcher(Duration.ofSeconds(1));

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
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
        server.createContext("/slow", ex -> {
            ex.sendResponseHeaders(200, 1000);
            OutputStream out = ex.getResponseBody();
            out.write(new byte[10]);
            out.flush();
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2,
                r -> Thread.ofPlatform().name("http-fetcher-test").daemon(true).unstarted(r)));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpLocation at(String path) {
        return new HttpLocation(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path));
    }

    @Test
    void downloadsAndFollowsRedirects() throws Exception {
        fetcher.download(at("/moved"), tmp.resolve("input"), 1 << 20);
        assertArrayEquals(video, Files.readAllBytes(tmp.resolve("input")));
    }

    @Test
    void missingInputIsPermanent() {
        PermanentFailure f = assertThrows(PermanentFailure.class, () -> fetcher.download(at("/nope"), tmp.resolve("i"), 1 << 20));
        assertEquals("input_not_found", f.code());
    }

    @Test
    void serverErrorIsRetryable() {
        RetryableFailure f = assertThrows(RetryableFailure.class, () -> fetcher.download(at("/busy"), tmp.resolve("i"), 1 << 20));
        assertEquals("input_http_503", f.code());
    }

    @Test
    void redirectToInstanceMetadataIsRefused() {
        PermanentFailure f = assertThrows(PermanentFailure.class,
                () -> fetcher.download(at("/to-metadata"), tmp.resolve("i"), 1 << 20));
        assertEquals("input_forbidden", f.code());
        assertTrue(f.reason().contains("169.254.169.254"), f.reason());
    }

    @Test
    void oversizedInputIsRefused() {
        PermanentFailure f = assertThrows(PermanentFailure.class, () -> fetcher.download(at("/clip.mp4"), tmp.resolve("i"), 100));
        assertEquals("input_too_large", f.code());
    }

    @Test
    void serverThatStopsSendingTimesOut() {
        RetryableFailure f = assertThrows(RetryableFailure.class, () -> fetcher.download(at("/slow"), tmp.resolve("i"), 1 << 20));
        assertEquals("input_timeout", f.code());
    }
}
