package dev.longshore.core.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionAcceptorTest {
    /** Only a failure waits this long: every wait below ends on a condition. */
    private static final long WAIT_SECONDS = 10;

    private final List<AutoCloseable> started = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : started) {
            c.close();
        }
    }

    private ServerSocket bound() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        started.add(server);
        return server;
    }

    private ConnectionAcceptor start(ServerSocket server, String name, int max, ConnectionAcceptor.Handler handler) {
        ConnectionAcceptor a = ConnectionAcceptor.start(server, name, Thread.ofVirtual().name(name + "-", 1), max,
                handler);
        started.add(a);
        return a;
    }

    private Socket connect(ServerSocket server) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        started.add(s);
        return s;
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(WAIT_SECONDS, TimeUnit.SECONDS), "condition not reached in " + WAIT_SECONDS + " s");
    }

    /** End of stream, or a reset: either way the server side is gone. */
    private static boolean closedByServer(Socket s) throws IOException {
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    @Test
    void eachConnectionIsServedOnItsOwnNamedThread() throws Exception {
        ServerSocket server = bound();
        List<String> names = new CopyOnWriteArrayList<>();
        CountDownLatch bothServing = new CountDownLatch(2);
        ConnectionAcceptor acceptor = ConnectionAcceptor.start(server, "acceptor-test", c -> {
            names.add(Thread.currentThread().getName());
            bothServing.countDown();
            // Holds the connection until the other one is served too: they can only meet on separate threads.
            try {
                bothServing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            c.getOutputStream().write('x');
        });
        started.add(acceptor);
        Socket first = connect(server);
        Socket second = connect(server);

        await(bothServing);
        assertEquals('x', first.getInputStream().read());
        assertEquals('x', second.getInputStream().read());
        assertEquals(2, names.size());
        assertNotEquals(names.get(0), names.get(1));
        assertTrue(names.stream().allMatch(n -> n.matches("acceptor-test-[12]")), names.toString());
    }

    @Test
    void theConnectionIsClosedWhenTheHandlerReturns() throws Exception {
        ServerSocket server = bound();
        start(server, "returns", Integer.MAX_VALUE, c -> c.getOutputStream().write('x'));
        Socket client = connect(server);

        assertEquals('x', client.getInputStream().read());
        assertTrue(closedByServer(client));
    }

    /** An acceptor whose one client is being served by {@code body}; {@code ended} counts down when body ends. */
    private record Serving(ServerSocket server, ConnectionAcceptor acceptor, Socket client, CountDownLatch ended) {
    }

    private Serving serving(String name, ConnectionAcceptor.Handler body) throws Exception {
        ServerSocket server = bound();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        ConnectionAcceptor acceptor = start(server, name, Integer.MAX_VALUE, c -> {
            started.countDown();
            try {
                body.serve(c);
            } finally {
                ended.countDown();
            }
        });
        Socket client = connect(server);
        await(started);
        return new Serving(server, acceptor, client, ended);
    }

    @Test
    void closeEndsTheAcceptThreadAndClosesOpenConnections() throws Exception {
        Serving s = serving("closing", c -> c.getInputStream().read());

        assertTrue(s.acceptor().close(Duration.ofSeconds(WAIT_SECONDS)), "every thread ended");
        assertTrue(s.server().isClosed());
        await(s.ended());
        assertTrue(closedByServer(s.client()));
        assertFalse(threadNamed("closing"), "the accept thread ended");
    }

    @Test
    void closeIsIdempotentAndInterruptsAHandlerThatSleeps() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        Serving s = serving("sleeper", c -> {
            try {
                Thread.sleep(Duration.ofDays(1));
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });

        assertTrue(s.acceptor().close(Duration.ofSeconds(WAIT_SECONDS)));
        await(interrupted);
        assertTrue(s.acceptor().close(Duration.ofSeconds(WAIT_SECONDS)), "a second close finds everything ended");
    }

    @Test
    void aHandlerThatThrowsDoesNotStopTheAcceptLoop() throws Exception {
        ServerSocket server = bound();
        CountDownLatch thrown = new CountDownLatch(2);
        start(server, "thrower", Integer.MAX_VALUE, c -> {
            int first = c.getInputStream().read();
            if (first == 'r') {
                thrown.countDown();
                throw new IllegalStateException("a bug in the handler");
            }
            if (first == 'i') {
                thrown.countDown();
                throw new IOException("the peer went away");
            }
            c.getOutputStream().write('x');
        });
        Socket runtime = connect(server);
        runtime.getOutputStream().write('r');
        Socket io = connect(server);
        io.getOutputStream().write('i');
        await(thrown);
        assertTrue(closedByServer(runtime));
        assertTrue(closedByServer(io));

        Socket next = connect(server);
        next.getOutputStream().write('n');
        assertEquals('x', next.getInputStream().read());
    }

    @Test
    void aConnectionBeyondTheLimitIsClosedAtOnceAndTheSlotIsFreedWhenServed() throws Exception {
        ServerSocket server = bound();
        CountDownLatch holding = new CountDownLatch(1);
        start(server, "limited", 1, c -> {
            InputStream in = c.getInputStream();
            if (in.read() == 'h') {
                holding.countDown();
                in.read(); // until the client lets go
            }
            c.getOutputStream().write('x');
        });
        Socket holder = connect(server);
        holder.getOutputStream().write('h');
        await(holding);

        Socket refused = connect(server);
        assertTrue(closedByServer(refused), "refused while the only slot is held");

        holder.getOutputStream().write('.');
        assertEquals('x', holder.getInputStream().read());
        assertTrue(closedByServer(holder));
        Socket next = connect(server);
        next.getOutputStream().write('n');
        assertEquals('x', next.getInputStream().read(), "the slot is free by the time its client sees the close");
    }

    private static boolean threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}
