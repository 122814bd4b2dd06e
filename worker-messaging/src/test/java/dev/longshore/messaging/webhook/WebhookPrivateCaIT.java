package dev.longshore.messaging.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.longshore.core.config.ConfigException;
import dev.longshore.core.config.Env;
import dev.longshore.core.http.PrivateDestinations;
import dev.longshore.core.job.Job;
import dev.longshore.core.job.RetryableFailure;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An https receiver whose certificate is signed by nobody the JDK knows (an internal CA): refused by default,
 * delivered with WORKER_WEBHOOK_CA_FILE naming the CA's PEM (docs/messaging.md: Private CA).
 */
class WebhookPrivateCaIT {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;
    private HttpsServer server;
    private Path caPem;
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Path keystore = tmp.resolve("receiver.p12");
        keytool("-genkeypair", "-alias", "hooks", "-keyalg", "EC", "-dname", "CN=internal-hooks",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD));
        caPem = tmp.resolve("internal-ca.pem");
        keytool("-exportcert", "-rfc", "-alias", "hooks", "-keystore", keystore.toString(), "-storepass",
                new String(PASSWORD), "-file", caPem.toString());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(KeyStore.getInstance(keystore.toFile(), PASSWORD), PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 8);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", ex -> {
            try (ex) {
                received.add(new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                ex.sendResponseHeaders(204, -1);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().transferTo(OutputStream.nullOutputStream());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool " + args[0]);
    }

    private Job job() throws Exception {
        String url = "https://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        return new Job("ca-1", "notify.webhook", (ObjectNode) JSON.readTree("{\"url\":\"" + url + "\",\"body\":{\"ok\":true}}"),
                1, "m-1", Optional.empty());
    }

    private static WebhookSettings base() {
        return new WebhookSettings(Duration.ofSeconds(5), Set.of(), 0, 5);
    }

    @Test
    void aPrivateCaReceiverIsRefusedWithTheJdkTrustAlone() throws Exception {
        try (WebhookSender s = new WebhookSender(base(), PrivateDestinations.parse("127.0.0.1"))) {
            RetryableFailure f = assertThrows(RetryableFailure.class, () -> s.deliver(job()));
            assertEquals("webhook_tls", f.code());
        }
        assertTrue(received.isEmpty());
    }

    @Test
    void theCaFileIsAddedToTheDefaultTrustAndTheReceiverGetsTheWebhook() throws Exception {
        WebhookSettings settings = WebhookSettings.fromEnv(new Env(Map.of("WORKER_WEBHOOK_CA_FILE", caPem.toString())));
        try (WebhookSender s = new WebhookSender(settings, PrivateDestinations.parse("127.0.0.1"))) {
            s.deliver(job());
        }
        assertEquals(List.of("{\"ok\":true}"), received);
        assertTrue(WebhookTrust.defaultIssuers().length > 0, "the JDK's own CAs are still trusted beside the file");
    }

    @Test
    void aMissingOrNonPemCaFileEndsTheProcessNamingTheVariable() throws Exception {
        ConfigException missing = assertThrows(ConfigException.class, () -> WebhookSettings.fromEnv(
                new Env(Map.of("WORKER_WEBHOOK_CA_FILE", tmp.resolve("nope.pem").toString()))));
        assertEquals("WORKER_WEBHOOK_CA_FILE", missing.variable());
        Path garbage = Files.writeString(tmp.resolve("garbage.pem"), "not a certificate\n");
        WebhookSettings settings = WebhookSettings.fromEnv(new Env(Map.of("WORKER_WEBHOOK_CA_FILE", garbage.toString())));
        ConfigException bad = assertThrows(ConfigException.class, () -> WebhookTrust.connector(settings));
        assertEquals("WORKER_WEBHOOK_CA_FILE", bad.variable());
    }
}
