package dev.longshore.core.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

/** Opens a connection to one checked address of a {@link Destination}; replaceable in tests. */
@FunctionalInterface
public interface Connector {
    /**
     * Connects to {@code address} (never resolving {@code destination.host()} again) and, for https, completes
     * the TLS handshake with SNI and certificate checks for the host name.
     */
    Socket connect(Destination destination, InetAddress address, int timeoutMillis) throws IOException;
}
