package dev.longshore.bench;

import dev.longshore.core.concurrent.ConnectionAcceptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;

/**
 * A TCP splice on 127.0.0.1 between the consumers and the SQS server that counts requests per operation as
 * their bytes stream by ({@link RequestScanner}); it forwards every byte unchanged in both directions, keeps
 * each consumer connection paired with one server connection (so keep-alive and pipelining behave as without
 * it), and costs every peer the same: one more loopback hop, in this JVM, not in the consumer or the server.
 */
final class CountingProxy implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;
    /** Long enough for a pump blocked in a write to a slow consumer to see its socket closed. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final InetSocketAddress upstream;
    private final ServerSocket server;
    private final RequestCounts counts = new RequestCounts();
    private final ConnectionAcceptor acceptor;

    CountingProxy(URI upstream) throws IOException {
        this.upstream = new InetSocketAddress(upstream.getHost(), upstream.getPort());
        this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        // Platform threads, as the proxy always used: how its pumps are scheduled is part of every number compared.
        this.acceptor = ConnectionAcceptor.start(server, "counting-proxy",
                Thread.ofPlatform().name("counting-proxy-", 1).daemon(), Integer.MAX_VALUE, this::splice);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    RequestCounts counts() {
        return counts;
    }

    /**
     * Pumps the requests on this connection's thread and the replies on a second one it owns and waits for, so the
     * consumer socket stays open (for the acceptor to close) until both directions are done.
     */
    private void splice(Socket client) throws IOException {
        try (Socket sqs = new Socket()) {
            sqs.connect(upstream, 5_000);
            // Small requests and replies: Nagle would add delay a direct connection does not have.
            client.setTcpNoDelay(true);
            sqs.setTcpNoDelay(true);
            RequestScanner scanner = new RequestScanner(counts);
            Thread reply = Thread.ofPlatform().name(Thread.currentThread().getName() + "-reply").daemon()
                    .start(() -> pump(sqs, client, null));
            pump(client, sqs, scanner);
            try {
                reply.join();
            } catch (InterruptedException e) {
                // the proxy is closing and the reply pump may be blocked on a server that never answers: cut it off
                sqs.close();
                reply.join(CLOSE_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Copies one direction until end of stream, then half-closes the other side so the peer sees it too. */
    private static void pump(Socket from, Socket to, RequestScanner scanner) {
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
        } catch (IOException e) {
            // one side went away (a consumer killed mid-request): end both directions
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Stops accepting, closes every connection and waits for the threads it started. */
    @Override
    public void close() {
        acceptor.close(CLOSE_WAIT);
    }
}
