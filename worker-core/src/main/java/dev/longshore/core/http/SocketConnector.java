package dev.longshore.core.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Connects a plain socket to the checked address, then for https layers TLS over it with the URL's host name
 * as SNI and as the name the certificate must match ({@code HTTPS} endpoint identification). The name is only
 * ever used for TLS and the Host header, never resolved again (README: Security, DNS rebinding).
 */
public final class SocketConnector implements Connector {
    private final Supplier<SSLSocketFactory> tls;

    public SocketConnector(SSLSocketFactory tls) {
        this.tls = () -> tls;
    }

    private SocketConnector(Supplier<SSLSocketFactory> tls) {
        this.tls = tls;
    }

    /**
     * The JDK's default trust store, loaded at the first https connection: building the default TLS context
     * reads the trust store and loads about 140 TLS and X.509 classes, which a worker that never calls out over
     * https should not carry at start-up (README: Performance).
     */
    public static SocketConnector withDefaultTrust() {
        return new SocketConnector(DefaultTls::factory);
    }

    /** The default context, created once on first use (the holder idiom makes that thread-safe). */
    private static final class DefaultTls {
        private static final SSLSocketFactory FACTORY = create();

        static SSLSocketFactory factory() {
            return FACTORY;
        }

        private static SSLSocketFactory create() {
            try {
                return SSLContext.getDefault().getSocketFactory();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no default TLS context", e);
            }
        }
    }

    @Override
    public Socket connect(Destination destination, InetAddress address, int timeoutMillis) throws IOException {
        Socket plain = new Socket();
        try {
            plain.setSoTimeout(timeoutMillis);
            plain.connect(new InetSocketAddress(address, destination.port()), timeoutMillis);
            if (!destination.tls()) {
                return plain;
            }
            SSLSocket socket = (SSLSocket) tls.get().createSocket(plain, destination.host(), destination.port(), true);
            SSLParameters params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            if (IpLiterals.parse(destination.host()).isEmpty()) {
                params.setServerNames(List.of(new SNIHostName(destination.host())));
            }
            params.setApplicationProtocols(new String[]{"http/1.1"});
            socket.setSSLParameters(params);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }
}
