package dev.longshore.messaging.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.longshore.core.config.ConfigException;
import dev.longshore.core.config.Env;
import dev.longshore.core.job.Job;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import dev.longshore.testkit.EmbeddedSqs;
import jakarta.mail.internet.MimeMessage;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EmailSenderIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private GreenMail relay;

    private static Job job(String payload) throws Exception {
        return new Job("mail-1", "notify.email", (ObjectNode) JSON.readTree(payload), 1, "m-1", Optional.empty());
    }

    private static SmtpSettings settings(int port, String tls, String... extra) {
        Map<String, String> env = new HashMap<>(Map.of("WORKER_SMTP_HOST", "127.0.0.1", "WORKER_SMTP_PORT", String.valueOf(port),
                "WORKER_SMTP_TLS", tls, "WORKER_SMTP_FROM", "Longshore <noreply@longshore.test>",
                "WORKER_SMTP_USERNAME", "relay", "WORKER_SMTP_PASSWORD", "s3cret", "WORKER_SMTP_TIMEOUT", "5s"));
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return SmtpSettings.fromEnv(new Env(env)).orElseThrow();
    }

    /**
     * A relay on a free local port that accepts the login {@link #settings} gives. The TLS tests fail or pass in
     * the handshake, before the login matters. Stopped after each test.
     */
    private GreenMail startRelay(String protocol) {
        relay = new GreenMail(new ServerSetup(EmbeddedSqs.freePort(), "127.0.0.1", protocol));
        relay.setUser("noreply@longshore.test", "relay", "s3cret");
        relay.start();
        return relay;
    }

    @AfterEach
    void stopRelay() {
        if (relay != null) {
            relay.stop();
        }
    }

    @Test
    void sendsThroughAnAuthenticatedRelay() throws Exception {
        GreenMail mail = startRelay(ServerSetup.PROTOCOL_SMTP);
        EmailSender sender = new EmailSender(Optional.of(settings(mail.getSmtp().getPort(), "none")));
        sender.send(job("{\"to\":[\"ops@example.com\"],\"cc\":\"boss@example.com\",\"subject\":\"Job done\","
                + "\"text\":\"plain\",\"html\":\"<b>rich</b>\"}"));
        MimeMessage[] received = mail.getReceivedMessages();
        assertEquals(2, received.length, "one copy per recipient");
        assertEquals("Job done", received[0].getSubject());
        assertEquals("mail-1", received[0].getHeader("X-Longshore-Job-Id")[0]);
        assertTrue(received[0].getFrom()[0].toString().contains("noreply@longshore.test"));
    }

    @Test
    void sendsOverImplicitTlsToATrustedRelay() throws Exception {
        GreenMail mail = startRelay(ServerSetup.PROTOCOL_SMTPS);
        EmailSender sender = new EmailSender(Optional.of(settings(mail.getSmtps().getPort(), "tls",
                "WORKER_SMTP_TLS_TRUST", "127.0.0.1")));
        sender.send(job("{\"to\":\"ops@example.com\",\"subject\":\"tls\",\"text\":\"x\"}"));
        assertEquals(1, mail.getReceivedMessages().length);
    }

    @Test
    void untrustedCertificateIsNotSilentlyAccepted() throws Exception {
        GreenMail mail = startRelay(ServerSetup.PROTOCOL_SMTPS);
        EmailSender sender = new EmailSender(Optional.of(settings(mail.getSmtps().getPort(), "tls")));
        RetryableFailure f = assertThrows(RetryableFailure.class,
                () -> sender.send(job("{\"to\":\"ops@example.com\",\"subject\":\"tls\",\"text\":\"x\"}")));
        assertEquals("smtp_unavailable", f.code());
        assertEquals(0, mail.getReceivedMessages().length);
    }

    @Test
    void relayDownIsRetryable() throws Exception {
        EmailSender sender = new EmailSender(Optional.of(settings(EmbeddedSqs.freePort(), "none")));
        RetryableFailure f = assertThrows(RetryableFailure.class,
                () -> sender.send(job("{\"to\":\"ops@example.com\",\"subject\":\"s\",\"text\":\"x\"}")));
        assertEquals("smtp_unavailable", f.code());
    }

    @Test
    void badPayloadsAndMissingConfigurationArePermanent() throws Exception {
        EmailSender sender = new EmailSender(Optional.of(settings(EmbeddedSqs.freePort(), "none")));
        assertEquals("invalid_payload", assertThrows(PermanentFailure.class,
                () -> sender.send(job("{\"subject\":\"s\",\"text\":\"x\"}"))).code());
        assertEquals("invalid_payload", assertThrows(PermanentFailure.class,
                () -> sender.send(job("{\"to\":\"a@example.com\",\"text\":\"x\"}"))).code());
        assertEquals("email_invalid_recipient", assertThrows(PermanentFailure.class,
                () -> sender.send(job("{\"to\":\"not an address\",\"subject\":\"s\",\"text\":\"x\"}"))).code());
        assertEquals("email_not_configured", assertThrows(PermanentFailure.class,
                () -> new EmailSender(Optional.empty()).send(job("{\"to\":\"a@example.com\",\"subject\":\"s\",\"text\":\"x\"}"))).code());
    }

    @Test
    void smtpSettingErrorsNameTheVariableWithoutPrintingThePassword() {
        ConfigException tls = assertThrows(ConfigException.class, () -> settings(25, "maybe"));
        assertTrue(tls.getMessage().contains("WORKER_SMTP_TLS=\"maybe\""));
        ConfigException noPassword = assertThrows(ConfigException.class, () -> SmtpSettings.fromEnv(new Env(Map.of(
                "WORKER_SMTP_HOST", "h", "WORKER_SMTP_FROM", "a@b.c", "WORKER_SMTP_USERNAME", "u"))));
        assertEquals("WORKER_SMTP_PASSWORD", noPassword.variable());
        assertTrue(!settings(25, "none").toString().contains("s3cret"));
    }
}
