package dev.longshore.messaging.webhook;

import dev.longshore.core.config.ConfigException;
import dev.longshore.core.http.SocketConnector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificates https webhooks are checked against (docs/messaging.md: Private CA): the JDK's trust store,
 * plus the CA certificates of {@code WORKER_WEBHOOK_CA_FILE} when it is set. Host name checks stay on: a private
 * CA is trusted to vouch for names, not to switch checking off.
 */
final class WebhookTrust {
    private WebhookTrust() {
    }

    static SocketConnector connector(WebhookSettings settings) {
        if (settings.caFile().isEmpty()) {
            return SocketConnector.withDefaultTrust();
        }
        Path file = settings.caFile().get();
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int n = 0;
            for (X509Certificate ca : defaultIssuers()) {
                trust.setCertificateEntry("jdk-" + n++, ca);
            }
            Collection<? extends Certificate> extra;
            try (InputStream in = Files.newInputStream(file)) {
                extra = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (extra.isEmpty()) {
                throw ConfigException.invalid("WORKER_WEBHOOK_CA_FILE", file.toString(),
                        "a PEM file with at least one CA certificate (-----BEGIN CERTIFICATE-----)");
            }
            int i = 0;
            for (Certificate c : extra) {
                trust.setCertificateEntry("webhook-ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return new SocketConnector(context.getSocketFactory());
        } catch (IOException | GeneralSecurityException e) {
            throw ConfigException.invalid("WORKER_WEBHOOK_CA_FILE", file.toString(),
                    "a readable PEM file of CA certificates (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The CA certificates the JDK trusts by default (its cacerts, or javax.net.ssl.trustStore when set). */
    static X509Certificate[] defaultIssuers() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                return x509.getAcceptedIssuers();
            }
        }
        return new X509Certificate[0];
    }
}
