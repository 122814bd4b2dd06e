package dev.longshore.core.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.longshore.core.WorkerState;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /health/live}, {@code /health/ready} and {@code /metrics} (contract section 5) on the JDK's own HTTP
 * server: one small thread, no framework.
 */
public final class HealthServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;

    private HealthServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static HealthServer start(String bind, int port, HealthSource source, String workerName) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "worker-" + workerName + "-health");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/health/live", ex -> {
            boolean live = source.live();
            ObjectNode body = JSON.createObjectNode().put("live", live).put("state", source.state().name());
            respond(ex, live ? 200 : 503, "application/json", body.toString());
        });
        server.createContext("/health/ready", ex -> {
            WorkerState state = source.state();
            ObjectNode body = JSON.createObjectNode().put("state", state.name());
            boolean ready = state == WorkerState.READY;
            if (!ready) {
                String reason = source.reason();
                body.put("reason", reason.isEmpty() ? state.name().toLowerCase() : reason);
            }
            respond(ex, ready ? 200 : 503, "application/json", body.toString());
        });
        server.createContext("/metrics", ex ->
                respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", source.metricsText()));
        server.createContext("/", ex -> respond(ex, 404, "application/json", "{\"error\":\"not found\"}"));
        server.start();
        log.info("health endpoint on http://{}:{}/health/ready", bind, server.getAddress().getPort());
        return new HealthServer(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int status, String contentType, String body) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                status = 405;
                body = "{\"error\":\"method not allowed\"}";
                contentType = "application/json";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", contentType);
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
