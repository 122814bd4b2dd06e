package dev.longshore.messaging.email;

import jakarta.mail.MessagingException;
import jakarta.mail.Provider;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus's SMTP transport (connection, STARTTLS or implicit TLS, AUTH) with the message transaction driven by
 * {@link EmailSender} one command at a time: every RCPT reply is seen, so one refused recipient does not stop the
 * others and a relay's recipient limit (452) splits the job into several transactions (docs/messaging.md: E-mail).
 */
public class RelayTransport extends SMTPTransport {
    /** Headers never written into the message: Bcc recipients stay invisible, as Angus's own send does. */
    private static final String[] NOT_SENT = {"Bcc", "Content-Length"};

    /** One SMTP reply: its code and its text (the last line, as the relay wrote it). */
    record Reply(int code, String text) {
        boolean positive() {
            return code >= 200 && code < 300;
        }

        @Override
        public String toString() {
            return text == null || text.isBlank() ? String.valueOf(code) : text.strip();
        }
    }

    public RelayTransport(Session session, URLName url) {
        super(session, url, "smtp", false);
    }

    protected RelayTransport(Session session, URLName url, String protocol, boolean implicitTls) {
        super(session, url, protocol, implicitTls);
    }

    /** {@code WORKER_SMTP_TLS=tls}: TLS from the first byte (port 465). */
    public static final class ImplicitTls extends RelayTransport {
        public ImplicitTls(Session session, URLName url) {
            super(session, url, "smtps", true);
        }
    }

    static Provider provider(boolean implicitTls) {
        return new Provider(Provider.Type.TRANSPORT, implicitTls ? "smtps" : "smtp",
                (implicitTls ? ImplicitTls.class : RelayTransport.class).getName(), "Longshore", "1");
    }

    /** Sends one command and returns the relay's reply, whatever its code. */
    synchronized Reply command(String line) throws MessagingException {
        int code = simpleCommand(line);
        return new Reply(code, getLastServerResponse());
    }

    /**
     * DATA, the message, and the final dot. The reply to the dot is the relay's word on the whole transaction: 250
     * means it took the message for every accepted recipient.
     */
    synchronized Reply data(MimeMessage message) throws MessagingException, IOException {
        OutputStream out;
        try {
            out = data();
        } catch (SMTPSendFailedException refused) {
            return new Reply(refused.getReturnCode(), refused.getMessage());
        }
        message.writeTo(out, NOT_SENT);
        try {
            finishData();
        } catch (SMTPSendFailedException refused) {
            return new Reply(refused.getReturnCode(), refused.getMessage());
        }
        return new Reply(getLastReturnCode(), getLastServerResponse());
    }
}
