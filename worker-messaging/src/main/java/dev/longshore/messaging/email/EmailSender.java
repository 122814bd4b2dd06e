package dev.longshore.messaging.email;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshore.core.job.Job;
import dev.longshore.core.job.JobFailure;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@code notify.email} jobs through the configured SMTP relay. Payload:
 * {@code {"to": "a@x" | [...], "cc", "bcc", "replyTo", "subject", "text", "html"}}. SMTP 4xx replies and
 * connection problems are retryable; 5xx replies and invalid addresses are permanent.
 */
public final class EmailSender {
    private static final Logger log = LoggerFactory.getLogger(EmailSender.class);
    static final String JOB_ID_HEADER = "X-Longshore-Job-Id";

    private final Optional<SmtpSettings> settings;
    private final Session session;

    public EmailSender(Optional<SmtpSettings> settings) {
        this.settings = settings;
        this.session = settings.map(EmailSender::session).orElse(null);
    }

    private static Session session(SmtpSettings s) {
        Properties p = new Properties();
        String proto = s.tls() == SmtpSettings.Tls.TLS ? "smtps" : "smtp";
        p.put("mail.transport.protocol", proto);
        p.put("mail." + proto + ".host", s.host());
        p.put("mail." + proto + ".port", String.valueOf(s.port()));
        p.put("mail." + proto + ".auth", String.valueOf(s.username().isPresent()));
        String ms = String.valueOf(s.timeout().toMillis());
        p.put("mail." + proto + ".connectiontimeout", ms);
        p.put("mail." + proto + ".timeout", ms);
        p.put("mail." + proto + ".writetimeout", ms);
        if (s.tls() == SmtpSettings.Tls.STARTTLS) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if (s.tls() != SmtpSettings.Tls.NONE) {
            // A relay named in WORKER_SMTP_TLS_TRUST is accepted with its certificate as it is (self-signed,
            // internal name); every other relay must present a valid certificate for its host name.
            p.put("mail." + proto + ".ssl.checkserveridentity", String.valueOf(s.trustHost().isEmpty()));
            s.trustHost().ifPresent(h -> p.put("mail." + proto + ".ssl.trust", h));
        }
        return Session.getInstance(p);
    }

    public void send(Job job) throws JobFailure {
        if (settings.isEmpty()) {
            throw new PermanentFailure("email_not_configured", "notify.email needs WORKER_SMTP_HOST and WORKER_SMTP_FROM on this worker");
        }
        SmtpSettings s = settings.get();
        MimeMessage message = compose(job, s);
        try (Transport transport = session.getTransport()) {
            transport.connect(s.host(), s.port(), s.username().orElse(null), s.password().orElse(null));
            transport.sendMessage(message, message.getAllRecipients());
            log.info("email sent to {} recipient(s) via {}", message.getAllRecipients().length, s.host());
        } catch (AuthenticationFailedException e) {
            throw new RetryableFailure("smtp_auth", "SMTP authentication failed at " + s.host() + ": " + e.getMessage(), e);
        } catch (SMTPSendFailedException e) {
            throw classify(e.getReturnCode(), e);
        } catch (SendFailedException e) {
            Exception next = e.getNextException();
            if (next instanceof SMTPAddressFailedException af) {
                throw classify(af.getReturnCode(), af);
            }
            Address[] invalid = e.getInvalidAddresses();
            if (invalid != null && invalid.length > 0) {
                throw new PermanentFailure("email_invalid_recipient", "SMTP relay refused recipients: " + List.of(invalid));
            }
            throw new RetryableFailure("smtp_send", "SMTP send failed: " + e.getMessage(), e);
        } catch (MessagingException e) {
            throw new RetryableFailure("smtp_unavailable", "SMTP relay " + s.host() + ":" + s.port() + " failed: "
                    + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")"), e);
        }
    }

    /** SMTP reply classes: 4xx is a transient condition (greylisting, mailbox busy), 5xx is final. */
    private static JobFailure classify(int code, MessagingException e) {
        String reason = "SMTP relay answered " + code + ": " + e.getMessage().trim();
        if (code >= 400 && code < 500) {
            return new RetryableFailure("smtp_" + code, reason, e);
        }
        if (code >= 500 && code < 600) {
            return new PermanentFailure("smtp_" + code, reason, e);
        }
        return new RetryableFailure("smtp_send", reason, e);
    }

    private MimeMessage compose(Job job, SmtpSettings s) throws PermanentFailure {
        ObjectNode p = job.payload();
        List<InternetAddress> to = addresses(p, "to");
        if (to.isEmpty()) {
            throw new PermanentFailure("invalid_payload", "notify.email needs at least one address in 'to'");
        }
        String subject = text(p, "subject").orElseThrow(() -> new PermanentFailure("invalid_payload", "notify.email needs a subject"));
        Optional<String> plain = text(p, "text");
        Optional<String> html = text(p, "html");
        if (plain.isEmpty() && html.isEmpty()) {
            throw new PermanentFailure("invalid_payload", "notify.email needs 'text' or 'html'");
        }
        try {
            MimeMessage m = new MimeMessage(session);
            m.setFrom(s.from());
            m.setRecipients(Message.RecipientType.TO, to.toArray(Address[]::new));
            List<InternetAddress> cc = addresses(p, "cc");
            if (!cc.isEmpty()) {
                m.setRecipients(Message.RecipientType.CC, cc.toArray(Address[]::new));
            }
            List<InternetAddress> bcc = addresses(p, "bcc");
            if (!bcc.isEmpty()) {
                m.setRecipients(Message.RecipientType.BCC, bcc.toArray(Address[]::new));
            }
            List<InternetAddress> replyTo = addresses(p, "replyTo");
            if (!replyTo.isEmpty()) {
                m.setReplyTo(replyTo.toArray(Address[]::new));
            }
            m.setSubject(subject, "UTF-8");
            m.setSentDate(new Date());
            m.setHeader(JOB_ID_HEADER, job.id());
            if (plain.isPresent() && html.isPresent()) {
                MimeMultipart alternative = new MimeMultipart("alternative");
                MimeBodyPart textPart = new MimeBodyPart();
                textPart.setText(plain.get(), "UTF-8");
                MimeBodyPart htmlPart = new MimeBodyPart();
                htmlPart.setContent(html.get(), "text/html; charset=UTF-8");
                alternative.addBodyPart(textPart);
                alternative.addBodyPart(htmlPart);
                m.setContent(alternative);
            } else if (html.isPresent()) {
                m.setContent(html.get(), "text/html; charset=UTF-8");
            } else {
                m.setText(plain.get(), "UTF-8");
            }
            m.saveChanges();
            return m;
        } catch (MessagingException e) {
            throw new PermanentFailure("invalid_payload", "cannot build the email: " + e.getMessage());
        }
    }

    private static Optional<String> text(ObjectNode p, String field) throws PermanentFailure {
        JsonNode n = p.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw new PermanentFailure("invalid_payload", "notify.email '" + field + "' must be a string");
        }
        return Optional.of(n.textValue());
    }

    private static List<InternetAddress> addresses(ObjectNode p, String field) throws PermanentFailure {
        JsonNode n = p.get(field);
        List<String> raw = new ArrayList<>();
        if (n == null || n.isNull()) {
            return List.of();
        } else if (n.isTextual()) {
            raw.add(n.textValue());
        } else if (n.isArray()) {
            for (JsonNode e : n) {
                if (!e.isTextual()) {
                    throw new PermanentFailure("invalid_payload", "notify.email '" + field + "' must hold strings");
                }
                raw.add(e.textValue());
            }
        } else {
            throw new PermanentFailure("invalid_payload", "notify.email '" + field + "' must be a string or a list of strings");
        }
        List<InternetAddress> out = new ArrayList<>();
        for (String r : raw) {
            try {
                out.add(new InternetAddress(r, true));
            } catch (AddressException e) {
                throw new PermanentFailure("email_invalid_recipient", "'" + r + "' in " + field + " is not a valid address");
            }
        }
        return out;
    }
}
