package dev.longshore.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pass-through in front of an {@link EmbeddedSqs} that counts the SQS calls going through it, so that a test
 * can wait for "the worker is inside its long poll" ({@link #inFlight}) instead of sleeping. Point a worker
 * process at it with {@link #workerEnvironment()}; queue URLs stay those of the server behind it.
 */
public final class SqsTap implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding", "keep-alive");

    private final EmbeddedSqs sqs;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> started = new ConcurrentHashMap<>();

    private SqsTap(EmbeddedSqs sqs) throws IOException {
        this.sqs = sqs;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(executor);
        server.createContext("/", this::forward);
        server.start();
    }

    public static SqsTap inFrontOf(EmbeddedSqs sqs) {
        try {
            return new SqsTap(sqs);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** {@link EmbeddedSqs#workerEnvironment()} with the SQS endpoint replaced by this tap. */
    public Map<String, String> workerEnvironment() {
        Map<String, String> env = new HashMap<>(sqs.workerEnvironment());
        env.put("AWS_ENDPOINT_URL_SQS", endpoint().toString());
        return env;
    }

    /** Calls of {@code action} (e.g. {@code ReceiveMessage}) sent on and not answered yet. */
    public int inFlight(String action) {
        AtomicInteger n = inFlight.get(action);
        return n == null ? 0 : n.get();
    }

    /** Calls of {@code action} that went through so far, answered or not. */
    public int calls(String action) {
        AtomicInteger n = started.get(action);
        return n == null ? 0 : n.get();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String action = target == null ? "unknown" : target.substring(target.indexOf('.') + 1);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sqs.endpoint() + exchange.getRequestURI().toString()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            started.computeIfAbsent(action, a -> new AtomicInteger()).incrementAndGet();
            AtomicInteger pending = inFlight.computeIfAbsent(action, a -> new AtomicInteger());
            pending.incrementAndGet();
            HttpResponse<byte[]> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                pending.decrementAndGet();
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    values.forEach(v -> exchange.getResponseHeaders().add(name, v));
                }
            });
            byte[] out = response.body();
            exchange.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream o = exchange.getResponseBody()) {
                    o.write(out);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        client.close();
    }
}
