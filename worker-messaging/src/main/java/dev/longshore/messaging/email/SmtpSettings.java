package dev.longshore.messaging.email;

import dev.longshore.core.config.ConfigException;
import dev.longshore.core.config.Env;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * SMTP relay settings ({@code WORKER_SMTP_*}). Absent when WORKER_SMTP_HOST is unset: email jobs then fail
 * permanently with a reason that says so.
 *
 * @param tls        {@code starttls} (required upgrade), {@code tls} (implicit TLS, port 465) or {@code none}
 * @param trustHost  hosts whose certificate is trusted without validation (self-signed internal relays)
 * @param recipients how many recipients one SMTP transaction and one job may have (docs/messaging.md: E-mail)
 */
public record SmtpSettings(String host, int port, Optional<String> username, Optional<String> password,
                           InternetAddress from, Tls tls, Optional<String> trustHost, Duration timeout,
                           RecipientLimits recipients) {
    public enum Tls { STARTTLS, TLS, NONE }

    /**
     * @param perTransaction RCPT commands per message transaction ({@code WORKER_SMTP_MAX_RECIPIENTS}); a relay that
     *                       answers 452 earlier lowers it for the rest of the job
     * @param perJob         to + cc + bcc of one job ({@code WORKER_EMAIL_MAX_RECIPIENTS}); more is invalid_payload
     */
    public record RecipientLimits(int perTransaction, int perJob) {
    }

    /** Bounded so a hung relay gives the job back instead of holding it until the drain. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** RFC 5321 section 4.5.3.1.8: a relay must accept at least 100 recipients per transaction; Postfix's default. */
    public static final int DEFAULT_MAX_RECIPIENTS_PER_TRANSACTION = 100;
    /** A notification to more people than this is a mailing list, not a notification. */
    public static final int DEFAULT_MAX_RECIPIENTS_PER_JOB = 1000;

    @Override
    public String toString() {
        return "SmtpSettings[host=" + host + ", port=" + port + ", username=" + username.orElse("-")
                + ", password=" + (password.isPresent() ? "***" : "-") + ", from=" + from + ", tls=" + tls + "]";
    }

    public static Optional<SmtpSettings> fromEnv(Env env) {
        Optional<String> host = env.string("WORKER_SMTP_HOST");
        if (host.isEmpty()) {
            return Optional.empty();
        }
        Tls tls = switch (env.string("WORKER_SMTP_TLS", "starttls").toLowerCase(Locale.ROOT)) {
            case "starttls" -> Tls.STARTTLS;
            case "tls", "ssl", "smtps" -> Tls.TLS;
            case "none", "off", "false" -> Tls.NONE;
            default -> throw ConfigException.invalid("WORKER_SMTP_TLS", env.string("WORKER_SMTP_TLS").orElse(""),
                    "starttls, tls or none");
        };
        int defaultPort = switch (tls) {
            case STARTTLS -> 587;
            case TLS -> 465;
            case NONE -> 25;
        };
        int port = env.positiveInt("WORKER_SMTP_PORT", defaultPort, 65535);
        Optional<String> username = env.string("WORKER_SMTP_USERNAME");
        Optional<String> password = env.string("WORKER_SMTP_PASSWORD");
        if (username.isPresent() && password.isEmpty()) {
            throw ConfigException.missing("WORKER_SMTP_PASSWORD", "the SMTP password for WORKER_SMTP_USERNAME");
        }
        String rawFrom = env.required("WORKER_SMTP_FROM", "the sender address for email, e.g. Longshore <noreply@example.com>");
        InternetAddress from;
        try {
            from = new InternetAddress(rawFrom, true);
        } catch (AddressException e) {
            throw ConfigException.invalid("WORKER_SMTP_FROM", rawFrom, "an email address such as noreply@example.com");
        }
        Duration timeout = env.duration("WORKER_SMTP_TIMEOUT", DEFAULT_TIMEOUT, Duration.ofSeconds(1), Duration.ofMinutes(10));
        RecipientLimits recipients = new RecipientLimits(
                env.positiveInt("WORKER_SMTP_MAX_RECIPIENTS", DEFAULT_MAX_RECIPIENTS_PER_TRANSACTION, 100_000),
                env.positiveInt("WORKER_EMAIL_MAX_RECIPIENTS", DEFAULT_MAX_RECIPIENTS_PER_JOB, 100_000));
        return Optional.of(new SmtpSettings(host.get(), port, username, password, from, tls,
                env.string("WORKER_SMTP_TLS_TRUST"), timeout, recipients));
    }
}
