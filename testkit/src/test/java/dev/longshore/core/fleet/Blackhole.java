package dev.longshore.core.fleet;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;

/**
 * A port that takes TCP connections (into the kernel's backlog) and never answers: what a client sees of
 * 169.254.169.254 when a packet filter drops the replies. Used to prove timeouts, not refusals.
 */
final class Blackhole implements AutoCloseable {
    private final ServerSocket socket;

    Blackhole() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** An endpoint where nothing listens: connections are refused at once. */
    static URI refused() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
    }
}
