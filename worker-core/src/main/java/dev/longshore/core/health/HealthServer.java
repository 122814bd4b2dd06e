package dev.longshore.core.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshore.core.WorkerState;
import dev.longshore.core.concurrent.ConnectionAcceptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /health/live}, {@code /health/ready} and {@code /metrics} (README: Health and metrics) on a plain server
 * socket. Every connection gets its own virtual thread and a deadline for its request, so a client that stalls
 * mid-request never delays another client's answer: load balancers and Prometheus keep getting answers while a
 * half-open connection waits to be timed out. One request per connection ({@code Connection: close}).
 */
public final class HealthServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Time a client has to send its whole request head: health checkers send theirs in one packet. */
    static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(5);
    /** Connections served at once; more are closed at once rather than queued behind stalled ones. */
    static final int MAX_CONNECTIONS = 64;
    /** Request line plus headers; health checks send a few hundred bytes. */
    private static final int MAX_HEAD_BYTES = 16 * 1024;
    /** A request body (none is expected) is read and dropped up to this size so the answer is not reset. */
    private static final int MAX_DISCARDED_BODY = 64 * 1024;
    private static final int BACKLOG = 50;

    private final ServerSocket socket;
    private final ConnectionAcceptor acceptor;

    private HealthServer(ServerSocket socket, ConnectionAcceptor acceptor) {
        this.socket = socket;
        this.acceptor = acceptor;
    }

    public static HealthServer start(String bind, int port, HealthSource source, String workerName) throws IOException {
        return start(bind, port, source, workerName, DEFAULT_READ_TIMEOUT);
    }

    static HealthServer start(String bind, int port, HealthSource source, String workerName, Duration readTimeout)
            throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(bind), port), BACKLOG);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        String name = "worker-" + workerName + "-health";
        HealthServer server = new HealthServer(socket, ConnectionAcceptor.start(socket, name,
                Thread.ofVirtual().name(name + "-", 1), MAX_CONNECTIONS, c -> serve(c, source, readTimeout)));
        log.info("health endpoint on http://{}:{}/health/ready", bind, socket.getLocalPort());
        return server;
    }

    public int port() {
        return socket.getLocalPort();
    }

    private static void serve(Socket client, HealthSource source, Duration readTimeout) throws IOException {
        client.setTcpNoDelay(true);
        long deadline = System.nanoTime() + readTimeout.toNanos();
        Request request;
        try {
            request = readRequest(client, deadline);
        } catch (SocketTimeoutException e) {
            write(client.getOutputStream(), false, 408, "application/json", "{\"error\":\"request timeout\"}");
            return;
        }
        if (request == null) {
            return; // closed before a whole request arrived
        }
        respond(client.getOutputStream(), request, source);
    }

    private record Request(String method, String path, boolean bad) {
    }

    /** Reads the request line and headers (and drops a small body); null when the client went away first. */
    private static Request readRequest(Socket client, long deadline) throws IOException {
        InputStream in = client.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int matched = 0; // bytes of "\r\n\r\n" (or "\n\n") seen at the end
        while (true) {
            int b = read(client, in, deadline);
            if (b < 0) {
                return null;
            }
            head.write(b);
            if (b == '\n') {
                matched = matched == 0 ? 1 : matched + 1;
            } else if (b != '\r') {
                matched = 0;
            }
            if (matched >= 2) {
                break;
            }
            if (head.size() > MAX_HEAD_BYTES) {
                return new Request("GET", "", true);
            }
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r?\n");
        String[] parts = lines[0].split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/")) {
            return new Request("GET", "", true);
        }
        long contentLength = 0;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                try {
                    contentLength = Long.parseLong(lines[i].substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    return new Request("GET", "", true);
                }
            }
        }
        for (long i = 0; i < Math.min(contentLength, MAX_DISCARDED_BODY); i++) {
            if (read(client, in, deadline) < 0) {
                break;
            }
        }
        String target = parts[1];
        int query = target.indexOf('?');
        return new Request(parts[0], query < 0 ? target : target.substring(0, query), false);
    }

    private static int read(Socket client, InputStream in, long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("request not complete in time");
        }
        client.setSoTimeout((int) Math.max(1, left / 1_000_000));
        return in.read();
    }

    private static void respond(OutputStream out, Request request, HealthSource source) throws IOException {
        boolean head = request.method().equals("HEAD");
        if (request.bad()) {
            write(out, false, 400, "application/json", "{\"error\":\"bad request\"}");
            return;
        }
        if (!request.method().equals("GET") && !head) {
            write(out, false, 405, "application/json", "{\"error\":\"method not allowed\"}");
            return;
        }
        switch (request.path()) {
            case "/health/live" -> {
                boolean live = source.live();
                ObjectNode body = JSON.createObjectNode().put("live", live).put("state", source.state().name());
                write(out, head, live ? 200 : 503, "application/json", body.toString());
            }
            case "/health/ready" -> {
                WorkerState state = source.state();
                ObjectNode body = JSON.createObjectNode().put("state", state.name());
                boolean ready = state == WorkerState.READY;
                if (!ready) {
                    String reason = source.reason();
                    body.put("reason", reason.isEmpty() ? state.name().toLowerCase(Locale.ROOT) : reason);
                }
                write(out, head, ready ? 200 : 503, "application/json", body.toString());
            }
            case "/metrics" -> write(out, head, 200, "text/plain; version=0.0.4; charset=utf-8", source.metricsText());
            default -> write(out, head, 404, "application/json", "{\"error\":\"not found\"}");
        }
    }

    private static void write(OutputStream out, boolean head, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String headers = "HTTP/1.1 " + status + " " + reasonPhrase(status) + "\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "Content-Length: " + bytes.length + "\r\n"
                + "Connection: close\r\n\r\n";
        out.write(headers.getBytes(StandardCharsets.ISO_8859_1));
        if (!head) {
            out.write(bytes);
        }
        out.flush();
    }

    private static String reasonPhrase(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    @Override
    public void close() {
        acceptor.close();
    }
}
