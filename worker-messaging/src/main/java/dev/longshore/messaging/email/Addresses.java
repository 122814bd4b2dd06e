package dev.longshore.messaging.email;

import dev.longshore.core.job.PermanentFailure;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.UnsupportedEncodingException;
import java.net.IDN;

/**
 * Turns an address a message names into one every relay accepts (docs/messaging.md: Addresses): a unicode
 * display name becomes an RFC 2047 encoded-word, an internationalised domain its punycode (IDNA) form. A local
 * part beyond ASCII (EAI, RFC 6531) needs SMTPUTF8 end to end, which this worker does not speak: it is refused
 * with {@code invalid_address} rather than mangled.
 */
final class Addresses {
    private Addresses() {
    }

    static InternetAddress normalise(String raw, String field) throws PermanentFailure {
        InternetAddress parsed;
        try {
            parsed = new InternetAddress(raw, true);
        } catch (AddressException e) {
            throw new PermanentFailure("email_invalid_recipient", "'" + shown(raw) + "' in " + field + " is not a valid address");
        }
        String address = parsed.getAddress();
        int at = address.lastIndexOf('@');
        if (at < 1 || at == address.length() - 1) {
            throw new PermanentFailure("email_invalid_recipient", "'" + shown(raw) + "' in " + field
                    + " is not a valid address (user@domain)");
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (!ascii(local)) {
            throw new PermanentFailure("invalid_address", "'" + shown(address) + "' in " + field + " has a non-ASCII"
                    + " local part (an internationalised address, RFC 6531), which needs SMTPUTF8; this worker sends"
                    + " ASCII addresses only");
        }
        String asciiDomain;
        try {
            asciiDomain = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            throw new PermanentFailure("invalid_address", "the domain of '" + shown(address) + "' in " + field
                    + " is not a valid internationalised domain name: " + e.getMessage());
        }
        try {
            String personal = parsed.getPersonal();
            return personal == null || personal.isBlank()
                    ? new InternetAddress(local + "@" + asciiDomain)
                    : new InternetAddress(local + "@" + asciiDomain, personal, "UTF-8");
        } catch (UnsupportedEncodingException | AddressException e) {
            throw new PermanentFailure("email_invalid_recipient", "'" + shown(raw) + "' in " + field + " is not a valid address");
        }
    }

    static boolean ascii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    /** For a reason: short, and only characters SQS attributes accept. */
    static String shown(String s) {
        String cut = s.length() > 120 ? s.substring(0, 117) + "..." : s;
        return cut.replaceAll("[\\p{Cntrl}&&[^\\t]]", "?");
    }
}
