package dev.longshore.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP endpoint on 127.0.0.1 that records every webhook it receives. Paths choose the answer:
 * {@code /status/503}, {@code /slow/2000} (answers 200 after 2 s), {@code /redirect?to=URL} (302), anything else 200.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One received request. */
    public record Delivery(String method, String path, String query, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().isEmpty() ? null : e.getValue().get(0);
                }
            }
            return null;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> failuresLeft = new ConcurrentHashMap<>();

    private WebhookReceiver(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static WebhookReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("webhook-receiver-", 1).factory());
        server.setExecutor(executor);
        WebhookReceiver receiver = new WebhookReceiver(server, executor);
        server.createContext("/", receiver::handle);
        server.start();
        return receiver;
    }

    /** The next {@code times} requests to {@code path} answer 503 before it starts answering 200. */
    public void failNext(String path, int times) {
        failuresLeft.put(path, times);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex; InputStream in = ex.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String path = ex.getRequestURI().getPath();
            String query = ex.getRequestURI().getRawQuery();
            deliveries.add(new Delivery(ex.getRequestMethod(), path, query == null ? "" : query,
                    Map.copyOf(ex.getRequestHeaders()), body));
            int status = 200;
            Integer left = failuresLeft.computeIfPresent(path, (p, n) -> n > 0 ? n - 1 : null);
            if (left != null) {
                status = 503;
            } else if (path.startsWith("/status/")) {
                status = Integer.parseInt(path.substring("/status/".length()));
            } else if (path.startsWith("/slow/")) {
                try {
                    Thread.sleep(Long.parseLong(path.substring("/slow/".length())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else if (path.equals("/redirect") && query != null && query.startsWith("to=")) {
                ex.getResponseHeaders().set("Location", java.net.URLDecoder.decode(query.substring(3), StandardCharsets.UTF_8));
                status = 302;
            }
            if (status == 429 || status == 503) {
                ex.getResponseHeaders().set("Retry-After", "1");
            }
            byte[] reply = ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, reply.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(reply);
            }
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
