package dev.longshore.core.concurrent;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accept loop of a TCP server (the health endpoint, test servers, the bench proxy): one named accept thread,
 * one named thread per connection, and a close that ends them all. It owns the server socket and every accepted
 * connection: the handler serves a connection and returns, and the connection is closed after it. Server sockets
 * are bound by their callers (address, port, backlog and TLS are theirs to choose).
 */
public final class ConnectionAcceptor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConnectionAcceptor.class);
    /**
     * How long close() waits, by default, for the threads to end. Short: closing a connection's socket ends a
     * handler blocked on it at once, and every second here delays the process exit.
     */
    public static final Duration DEFAULT_CLOSE_WAIT = Duration.ofSeconds(1);

    /** Serves one connection; an IOException means the peer went away, which ends that connection only. */
    @FunctionalInterface
    public interface Handler {
        void serve(Socket connection) throws IOException;
    }

    private final ServerSocket server;
    private final String name;
    private final Map<Socket, Thread> open = new ConcurrentHashMap<>();
    private final Thread acceptor;
    private volatile boolean closed;

    private ConnectionAcceptor(ServerSocket server, String name, Thread.Builder connectionThreads, int maxConnections,
                               Handler handler) {
        this.server = server;
        this.name = name;
        // A daemon: the owner's close decides when serving stops, never a forgotten accept() keeping the JVM up.
        this.acceptor = Thread.ofPlatform().name(name).daemon()
                .unstarted(() -> acceptLoop(connectionThreads, maxConnections, handler));
    }

    /**
     * Accepts on a thread named {@code name} and serves each connection on a virtual thread named
     * {@code name-1}, {@code name-2}, ..., as many at once as connect.
     */
    public static ConnectionAcceptor start(ServerSocket server, String name, Handler handler) {
        return start(server, name, Thread.ofVirtual().name(name + "-", 1), Integer.MAX_VALUE, handler);
    }

    /**
     * As {@link #start(ServerSocket, String, Handler)}, with connection threads from {@code connectionThreads}
     * (named, platform or virtual, daemon or not, as the caller needs), and a connection that arrives while
     * {@code maxConnections} are served closed at once: refused rather than queued behind stalled ones.
     */
    public static ConnectionAcceptor start(ServerSocket server, String name, Thread.Builder connectionThreads,
                                           int maxConnections, Handler handler) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive: " + maxConnections);
        }
        ConnectionAcceptor a = new ConnectionAcceptor(server, name, connectionThreads, maxConnections, handler);
        a.acceptor.start();
        return a;
    }

    /** The builder is not thread-safe: it stays on this thread, which alone starts connection threads. */
    private void acceptLoop(Thread.Builder connectionThreads, int maxConnections, Handler handler) {
        while (!closed) {
            Socket connection;
            try {
                connection = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("{} stopped accepting: {}", name, e.toString());
                }
                return;
            }
            // Only this thread adds, so the count cannot pass the limit between the check and the put.
            if (open.size() >= maxConnections) {
                closeQuietly(connection);
                continue;
            }
            Thread thread;
            try {
                thread = connectionThreads.unstarted(() -> serve(connection, handler));
                open.put(connection, thread);
                // A close that ran between accept() and put() did not see this connection: drop it here.
                if (closed) {
                    open.remove(connection);
                    closeQuietly(connection);
                    return;
                }
                thread.start();
            } catch (RuntimeException | OutOfMemoryError e) {
                // No thread to serve it (thread limit, memory): drop this one, keep accepting the next.
                open.remove(connection);
                closeQuietly(connection);
            }
        }
    }

    private void serve(Socket connection, Handler handler) {
        try {
            handler.serve(connection);
        } catch (IOException e) {
            log.debug("{} connection ended: {}", name, e.toString());
        } catch (RuntimeException e) {
            log.warn("{} connection failed", name, e);
        } finally {
            // Freed before the close, so a peer that reconnects on seeing it closed finds the slot free again.
            open.remove(connection);
            closeQuietly(connection);
        }
    }

    /** Closes with {@link #DEFAULT_CLOSE_WAIT}. */
    @Override
    public void close() {
        close(DEFAULT_CLOSE_WAIT);
    }

    /**
     * Stops accepting, closes every open connection, interrupts their threads (a handler may be sleeping rather
     * than reading) and waits up to {@code wait} in all for the threads to end. Safe to call again and from a
     * connection's own thread.
     *
     * @return false when a thread is still running after {@code wait}, for the owner to log
     */
    public boolean close(Duration wait) {
        closed = true;
        long deadline = System.nanoTime() + wait.toNanos();
        closeQuietly(server);
        // After the accept thread ends no connection is added, so the loop below sees them all.
        boolean ended = join(acceptor, deadline);
        List<Map.Entry<Socket, Thread>> connections = List.copyOf(open.entrySet());
        for (Map.Entry<Socket, Thread> c : connections) {
            closeQuietly(c.getKey());
            c.getValue().interrupt();
        }
        for (Map.Entry<Socket, Thread> c : connections) {
            ended &= join(c.getValue(), deadline);
        }
        return ended;
    }

    private static boolean join(Thread thread, long deadline) {
        if (thread == Thread.currentThread()) {
            return true;
        }
        long left = deadline - System.nanoTime();
        try {
            if (left > 0) {
                thread.join(Duration.ofNanos(left));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    private static void closeQuietly(AutoCloseable socket) {
        try {
            socket.close();
        } catch (Exception ignored) {
            // already closed: the peer or another close got there first
        }
    }
}
