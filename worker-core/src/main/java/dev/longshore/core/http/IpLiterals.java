package dev.longshore.core.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** IP address literals, parsed without ever asking DNS. */
final class IpLiterals {
    private static final Pattern V4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private IpLiterals() {
    }

    /** An IPv4 dotted quad or an IPv6 literal (brackets allowed); empty for anything else, host names included. */
    static Optional<InetAddress> parse(String text) {
        String s = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean v4 = V4.matcher(s).matches();
        boolean v6 = s.contains(":") && V6.matcher(s).matches();
        if (!v4 && !v6) {
            return Optional.empty();
        }
        try {
            // A literal never reaches DNS: getByName parses it.
            return Optional.of(InetAddress.getByName(s));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
