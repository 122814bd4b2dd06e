package dev.longshore.core.http;

import dev.longshore.core.concurrent.ConnectionAcceptor;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deliberately small HTTP/1.1 server on 127.0.0.1 whose handlers may misbehave at will: drip bytes, stall,
 * stream without end, redirect anywhere. Records every request; {@link #close()} stops everything it started.
 */
public final class RawServer implements AutoCloseable {
    public record Request(String method, String target, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    @FunctionalInterface
    public interface Handler {
        void handle(Request request, OutputStream out) throws Exception;
    }

    private final ServerSocket server;
    private final Handler handler;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final ConnectionAcceptor acceptor;

    private RawServer(Handler handler) throws IOException {
        this.server = new ServerSocket();
        this.server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        this.handler = handler;
        this.acceptor = ConnectionAcceptor.start(server, "raw-server", this::serve);
    }

    public static RawServer start(Handler handler) throws IOException {
        return new RawServer(handler);
    }

    public int port() {
        return server.getLocalPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public List<Request> requests() {
        return requests;
    }

    public int connections() {
        return connections.get();
    }

    private void serve(Socket s) {
        connections.incrementAndGet();
        try {
            InputStream in = new BufferedInputStream(s.getInputStream());
            String line = readLine(in);
            String[] parts = line.split(" ");
            Map<String, String> headers = new TreeMap<>();
            for (String h = readLine(in); !h.isEmpty(); h = readLine(in)) {
                int colon = h.indexOf(':');
                headers.merge(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim(),
                        (a, b) -> a + "," + b);
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(length);
            Request r = new Request(parts[0], parts[1], headers, body);
            requests.add(r);
            OutputStream out = s.getOutputStream();
            handler.handle(r, out);
            out.flush();
        } catch (Exception e) {
            // the client went away, as misbehaving-server tests expect
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("eof");
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** Writes a complete answer with a body. */
    public static void respond(OutputStream out, int status, Map<String, String> headers, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " X\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
    }

    public static void redirect(OutputStream out, int status, String location) throws IOException {
        respond(out, status, Map.of("Location", location), new byte[0]);
    }

    @Override
    public void close() {
        acceptor.close();
    }
}
