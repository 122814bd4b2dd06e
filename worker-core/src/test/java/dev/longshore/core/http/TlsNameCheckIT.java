package dev.longshore.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.job.RetryableFailure;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https to the checked address keeps the name: SNI and the certificate check use the URL's host although the
 * socket was connected to an IP address (README: Security). The server's certificate is for hooks.test only.
 */
class TlsNameCheckIT {
    private static final char[] PASSWORD = "changeit".toCharArray();
    @TempDir
    Path tmp;
    private SSLServerSocket server;
    private Thread acceptor;
    private final List<String> sniSeen = new CopyOnWriteArrayList<>();
    private SSLContext clientContext;

    @BeforeEach
    void start() throws Exception {
        Path keystore = tmp.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "hooks", "-keyalg", "EC", "-dname", "CN=hooks.test", "-ext", "SAN=dns:hooks.test",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        keytool.getInputStream().transferTo(OutputStream.nullOutputStream());
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool made a certificate");
        KeyStore ks = KeyStore.getInstance(keystore.toFile(), PASSWORD);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, tmf.getTrustManagers(), null);

        server = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        acceptor = Thread.ofVirtual().name("tls-test-accept").start(() -> {
            while (!server.isClosed()) {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.setSoTimeout(10_000);
                    try {
                        s.startHandshake();
                    } catch (Exception handshakeRefusedByClient) {
                        continue;
                    }
                    ((ExtendedSSLSession) s.getSession()).getRequestedServerNames()
                            .forEach(n -> sniSeen.add(((SNIHostName) n).getAsciiName()));
                    InputStream in = s.getInputStream();
                    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
                    for (String line = r.readLine(); line != null && !line.isEmpty(); line = r.readLine()) {
                        // read the request head
                    }
                    s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                } catch (Exception e) {
                    if (server.isClosed()) {
                        return;
                    }
                }
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        acceptor.interrupt();
    }

    private HttpFetcher fetcher() {
        HostResolver everythingIsLocal = host -> List.of(InetAddress.getByName("127.0.0.1"));
        return new HttpFetcher(new DestinationPolicy(PrivateDestinations.parse("127.0.0.1"), AllowedHosts.ANY,
                everythingIsLocal), new SocketConnector(clientContext.getSocketFactory()), Throttle.NONE,
                new HttpFetcher.Options(FailureCodes.WEBHOOK, 5, Duration.ofSeconds(10)));
    }

    @Test
    void theNameIsSentAsSniAndMatchedAgainstTheCertificate() throws Exception {
        try (HttpFetcher f = fetcher();
             FetchResponse r = f.fetch(OutboundRequest.get(URI.create("https://hooks.test:" + server.getLocalPort() + "/x"),
                     Map.of()), Deadline.after(Duration.ofSeconds(20)))) {
            assertEquals("ok", r.readText(10));
        }
        assertEquals(List.of("hooks.test"), sniSeen);
    }

    @Test
    void aCertificateForAnotherNameIsRefusedAlthoughTheAddressIsTheSame() {
        try (HttpFetcher f = fetcher()) {
            RetryableFailure failure = assertThrows(RetryableFailure.class, () -> f.fetch(OutboundRequest.get(
                    URI.create("https://evil.test:" + server.getLocalPort() + "/"), Map.of()), Deadline.after(Duration.ofSeconds(20))));
            assertEquals("webhook_tls", failure.code());
        }
    }
}
