package dev.longshore.messaging.email;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshore.core.job.Job;
import dev.longshore.core.job.JobFailure;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import dev.longshore.messaging.email.RelayTransport.Reply;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@code notify.email} jobs through the configured SMTP relay (docs/messaging.md: E-mail). Payload:
 * {@code {"to": "a@x" | [...], "cc", "bcc", "replyTo", "subject", "text", "html"}}; any other field is refused.
 *
 * <p>The recipients go out in as many SMTP transactions as the relay's recipient limit needs
 * ({@code WORKER_SMTP_MAX_RECIPIENTS}, lowered when the relay answers 452 earlier). A recipient the relay refuses
 * (5xx on RCPT) does not stop the others; the job fails permanently only when every recipient is refused. Once a
 * transaction's DATA got 250 those recipients have the mail: nothing after it (QUIT, the connection closing) can
 * fail the job, and a retry in this process skips them. The Message-ID is derived from the jobId, so a copy
 * sent again by another process can be recognised. SMTP 4xx replies and connection problems are retryable;
 * 5xx replies and invalid addresses are permanent.
 */
public final class EmailSender {
    private static final Logger log = LoggerFactory.getLogger(EmailSender.class);
    static final String JOB_ID_HEADER = "X-Longshore-Job-Id";
    static final Set<String> FIELDS = Set.of("to", "cc", "bcc", "replyTo", "subject", "text", "html");
    /** Jobs whose accepted recipients are remembered for a retry in this process. */
    static final int REMEMBERED_JOBS = 10_000;
    private static final Pattern DOT_ATOM = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    private final Optional<SmtpSettings> settings;
    private final Session session;
    private final SentRecipients sent = new SentRecipients(REMEMBERED_JOBS);

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
        // QUIT comes after the mail was accepted: do not wait for a relay that never answers it.
        p.put("mail." + proto + ".quitwait", "false");
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

    /** A composed job: the message and every envelope recipient (to, cc, bcc), each once. */
    private record Composed(MimeMessage message, List<InternetAddress> recipients) {
    }

    /** What the relay said, recipient by recipient. */
    private static final class Transactions {
        final List<InternetAddress> accepted = new ArrayList<>();
        final Map<InternetAddress, Reply> refused = new LinkedHashMap<>();
        final Map<InternetAddress, Reply> deferred = new LinkedHashMap<>();
        Reply failure;
        int transactions;
    }

    public void send(Job job) throws JobFailure {
        if (settings.isEmpty()) {
            throw new PermanentFailure("email_not_configured", "notify.email needs WORKER_SMTP_HOST and WORKER_SMTP_FROM on this worker");
        }
        SmtpSettings s = settings.get();
        Composed mail = compose(job, s);
        Set<String> earlier = sent.of(job.id());
        List<InternetAddress> pending = mail.recipients().stream()
                .filter(a -> !earlier.contains(SentRecipients.key(a))).toList();
        if (pending.isEmpty()) {
            log.info("email {} already accepted for all {} recipient(s) on an earlier attempt", job.id(), earlier.size());
            sent.forget(job.id());
            return;
        }
        RelayTransport transport;
        try {
            transport = (RelayTransport) session.getTransport(RelayTransport.provider(s.tls() == SmtpSettings.Tls.TLS));
            transport.connect(s.host(), s.port(), s.username().orElse(null), s.password().orElse(null));
        } catch (AuthenticationFailedException e) {
            throw new RetryableFailure("smtp_auth", "SMTP authentication failed at " + s.host() + ": " + e.getMessage(), e);
        } catch (MessagingException e) {
            throw unavailable(s, e, earlier.size());
        }
        Transactions result;
        try {
            result = transact(transport, mail.message(), pending, s, job.id());
        } catch (MessagingException | IOException e) {
            throw unavailable(s, e, sent.of(job.id()).size());
        } finally {
            closeAfterwards(transport, s);
        }
        conclude(job, result, earlier.size());
    }

    /** MAIL, RCPT... and DATA, as many times as the relay's recipient limit needs. */
    private Transactions transact(RelayTransport t, MimeMessage message, List<InternetAddress> pending, SmtpSettings s,
                                  String jobId) throws MessagingException, IOException {
        Transactions result = new Transactions();
        List<InternetAddress> queue = new ArrayList<>(pending);
        int limit = s.recipients().perTransaction();
        String from = ((InternetAddress) message.getFrom()[0]).getAddress();
        while (!queue.isEmpty()) {
            Reply mailFrom = t.command("MAIL FROM:<" + from + ">");
            if (!mailFrom.positive()) {
                result.failure = mailFrom;
                return result;
            }
            List<InternetAddress> batch = new ArrayList<>();
            int i = 0;
            for (; i < queue.size() && batch.size() < limit; i++) {
                InternetAddress a = queue.get(i);
                Reply r = t.command("RCPT TO:<" + a.getAddress() + ">");
                if (r.positive()) {
                    batch.add(a);
                } else if (!batch.isEmpty() && tooManyRecipients(r)) {
                    log.info("SMTP relay {} takes {} recipients per message ({}); sending the rest in further transactions",
                            s.host(), batch.size(), r);
                    limit = batch.size();
                    break;
                } else if (r.code() == 421) {
                    result.failure = r;
                    return result;
                } else if (r.code() >= 500) {
                    result.refused.put(a, r);
                } else {
                    result.deferred.put(a, r);
                }
            }
            queue.subList(0, i).clear();
            if (batch.isEmpty()) {
                t.command("RSET");
                continue;
            }
            Reply data = t.data(message);
            result.transactions++;
            if (!data.positive()) {
                result.failure = data;
                return result;
            }
            // From here on these recipients have the mail, whatever happens to the connection.
            result.accepted.addAll(batch);
            sent.add(jobId, batch);
        }
        return result;
    }

    /** RFC 5321 section 4.5.3.1.10: 452 (or 552 with 5.5.3, meant as 452) means "no more in this transaction". */
    private static boolean tooManyRecipients(Reply r) {
        String text = r.text() == null ? "" : r.text();
        return r.code() == 452 || text.contains("4.5.3") || r.code() == 552 && text.contains("5.5.3");
    }

    private void conclude(Job job, Transactions r, int acceptedEarlier) throws JobFailure {
        int delivered = r.accepted.size() + acceptedEarlier;
        String summary = "delivered to " + delivered + ", refused " + r.refused.size() + ", deferred " + r.deferred.size()
                + " in " + r.transactions + " transaction(s)";
        if (!r.refused.isEmpty()) {
            log.warn("email {}: the relay refused {} recipient(s): {}", job.id(), r.refused.size(), describe(r.refused));
        }
        if (r.failure != null) {
            String reason = "SMTP relay answered " + r.failure + "; " + summary
                    + (delivered > 0 ? " (a retry by this worker skips those already delivered)" : "");
            if (r.failure.code() >= 500 && r.failure.code() < 600) {
                sent.forget(job.id());
                throw new PermanentFailure("smtp_" + r.failure.code(), reason);
            }
            throw new RetryableFailure(code(r.failure), reason);
        }
        if (!r.deferred.isEmpty()) {
            Reply first = r.deferred.values().iterator().next();
            throw new RetryableFailure(code(first), "SMTP relay deferred " + describe(r.deferred) + "; " + summary
                    + (delivered > 0 ? " (a retry by this worker sends only to the deferred ones)" : ""));
        }
        sent.forget(job.id());
        if (delivered == 0) {
            Reply first = r.refused.values().iterator().next();
            throw new PermanentFailure("smtp_" + first.code(), "SMTP relay refused every recipient: " + describe(r.refused));
        }
        log.info("email {} sent: {}", job.id(), summary);
    }

    private static String code(Reply r) {
        return r.code() >= 400 && r.code() < 600 ? "smtp_" + r.code() : "smtp_send";
    }

    private static String describe(Map<InternetAddress, Reply> replies) {
        String list = replies.entrySet().stream().limit(10)
                .map(e -> e.getKey().getAddress() + " (" + e.getValue() + ")").collect(Collectors.joining(", "));
        return replies.size() > 10 ? list + " and " + (replies.size() - 10) + " more" : list;
    }

    private static RetryableFailure unavailable(SmtpSettings s, Exception e, int accepted) {
        return new RetryableFailure("smtp_unavailable", "SMTP relay " + s.host() + ":" + s.port() + " failed: "
                + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")")
                + (accepted > 0 ? "; " + accepted + " recipient(s) already have the mail and a retry by this worker skips them" : ""), e);
    }

    /** QUIT and close. The mail is already accepted or already failed: a relay that hangs or errs here changes nothing. */
    private static void closeAfterwards(RelayTransport t, SmtpSettings s) {
        try {
            t.close();
        } catch (MessagingException e) {
            log.warn("closing the SMTP connection to {} failed after the transaction; ignored: {}", s.host(), e.toString());
        }
    }

    /**
     * {@code <longshore.JOBID@FROM-DOMAIN>}: the same for every attempt and transaction of a job, so relays and
     * mailboxes can drop a second copy (docs/messaging.md: E-mail). A jobId that is not a valid dot-atom (a leading,
     * trailing or double dot) is written in hex after {@code x=}, which no jobId contains.
     */
    static String messageId(String jobId, InternetAddress from) {
        String left = DOT_ATOM.matcher(jobId).matches() ? jobId
                : "x=" + HexFormat.of().formatHex(jobId.getBytes(StandardCharsets.UTF_8));
        String address = from.getAddress();
        String domain = address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        try {
            domain = IDN.toASCII(domain);
        } catch (IllegalArgumentException e) {
            domain = "";
        }
        if (!DOT_ATOM.matcher(domain).matches()) {
            domain = "longshore.invalid";
        }
        return "<longshore." + left + "@" + domain + ">";
    }

    /** A message whose Message-ID is the job's, not a random one. */
    private static final class JobMessage extends MimeMessage {
        private final String id;

        JobMessage(Session session, String id) {
            super(session);
            this.id = id;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", id);
        }
    }

    private Composed compose(Job job, SmtpSettings s) throws PermanentFailure {
        ObjectNode p = job.payload();
        for (var names = p.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new PermanentFailure("invalid_payload", "notify.email payload field '" + Addresses.shown(name)
                        + "' is not supported (fields: " + FIELDS.stream().sorted().collect(Collectors.joining(", ")) + ")");
            }
        }
        List<InternetAddress> to = addresses(p, "to");
        if (to.isEmpty()) {
            throw new PermanentFailure("invalid_payload", "notify.email needs at least one address in 'to'");
        }
        List<InternetAddress> cc = addresses(p, "cc");
        List<InternetAddress> bcc = addresses(p, "bcc");
        List<InternetAddress> replyTo = addresses(p, "replyTo");
        Map<String, InternetAddress> envelope = new LinkedHashMap<>();
        for (List<InternetAddress> list : List.of(to, cc, bcc)) {
            list.forEach(a -> envelope.putIfAbsent(SentRecipients.key(a), a));
        }
        if (envelope.size() > s.recipients().perJob()) {
            throw new PermanentFailure("invalid_payload", "notify.email names " + envelope.size() + " recipients (to, cc"
                    + " and bcc); at most " + s.recipients().perJob() + " are sent per job (WORKER_EMAIL_MAX_RECIPIENTS)");
        }
        String subject = text(p, "subject").orElseThrow(() -> new PermanentFailure("invalid_payload", "notify.email needs a subject"));
        Optional<String> plain = text(p, "text");
        Optional<String> html = text(p, "html");
        if (plain.isEmpty() && html.isEmpty()) {
            throw new PermanentFailure("invalid_payload", "notify.email needs 'text' or 'html'");
        }
        InternetAddress from = Addresses.normalise(s.from().toUnicodeString(), "WORKER_SMTP_FROM");
        try {
            MimeMessage m = new JobMessage(session, messageId(job.id(), from));
            m.setFrom(from);
            m.setRecipients(Message.RecipientType.TO, to.toArray(Address[]::new));
            if (!cc.isEmpty()) {
                m.setRecipients(Message.RecipientType.CC, cc.toArray(Address[]::new));
            }
            if (!bcc.isEmpty()) {
                m.setRecipients(Message.RecipientType.BCC, bcc.toArray(Address[]::new));
            }
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
            return new Composed(m, List.copyOf(envelope.values()));
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
        Set<String> seen = new LinkedHashSet<>();
        List<InternetAddress> out = new ArrayList<>();
        for (String r : raw) {
            InternetAddress a = Addresses.normalise(r, field);
            if (seen.add(SentRecipients.key(a))) {
                out.add(a);
            }
        }
        return out;
    }
}
