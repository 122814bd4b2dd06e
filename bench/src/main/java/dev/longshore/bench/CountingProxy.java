package dev.longshore.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP splice on 127.0.0.1 between the consumers and the SQS server that counts requests per operation as
 * their bytes stream by ({@link RequestScanner}); it forwards every byte unchanged in both directions, keeps
 * each consumer connection paired with one server connection (so keep-alive and pipelining behave as without
 * it), and costs every peer the same: one more loopback hop, in this JVM, not in the consumer or the server.
 */
final class CountingProxy implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;

    private final InetSocketAddress upstream;
    private final ServerSocket server;
    private final RequestCounts counts = new RequestCounts();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Thread> pumps = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean closed;

    CountingProxy(URI upstream) throws IOException {
        this.upstream = new InetSocketAddress(upstream.getHost(), upstream.getPort());
        this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().name("counting-proxy-accept").daemon().start(this::acceptLoop);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    RequestCounts counts() {
        return counts;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                splice(client);
            } catch (IOException e) {
                close(client);
            }
        }
    }

    private void splice(Socket client) throws IOException {
        open.add(client);
        Socket sqs = new Socket();
        open.add(sqs);
        try {
            sqs.connect(upstream, 5_000);
        } catch (IOException e) {
            close(sqs);
            throw e;
        }
        // Small requests and replies: Nagle would add delay a direct connection does not have.
        client.setTcpNoDelay(true);
        sqs.setTcpNoDelay(true);
        int n = connections.incrementAndGet();
        RequestScanner scanner = new RequestScanner(counts);
        start("counting-proxy-" + n + "-request", () -> pump(client, sqs, scanner));
        start("counting-proxy-" + n + "-reply", () -> pump(sqs, client, null));
    }

    private void start(String name, Runnable pump) {
        Thread t = Thread.ofPlatform().name(name).daemon().unstarted(() -> {
            try {
                pump.run();
            } finally {
                pumps.remove(Thread.currentThread());
            }
        });
        pumps.add(t);
        t.start();
    }

    /** Copies one direction until end of stream, then half-closes the other side so the peer sees it too. */
    private void pump(Socket from, Socket to, RequestScanner scanner) {
        byte[] buf = new byte[BUFFER];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (scanner != null) {
                    scanner.accept(buf, 0, n);
                }
                out.write(buf, 0, n);
            }
            to.shutdownOutput();
            if (from.isOutputShutdown()) {
                close(from);
                close(to);
            }
        } catch (IOException e) {
            // one side went away (a consumer killed mid-request): end both directions
            close(from);
            close(to);
        }
    }

    private void close(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Stops accepting, closes every connection and waits for the threads it started. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        acceptor.join(5_000); // after this no connection is added, so closing what is open closes all
        List.copyOf(open).forEach(this::close);
        for (Thread t : List.copyOf(pumps)) {
            t.join(5_000);
        }
    }
}
