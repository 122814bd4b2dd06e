package dev.longshore.core.http;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

/**
 * A URL whose host was resolved and whose every address passed the {@link DestinationPolicy}. The connection
 * goes to one of these addresses; the name is never resolved again (README: Security, DNS rebinding).
 *
 * @param uri       the URL
 * @param host      the host name or literal as written in the URL, without brackets, lower case
 * @param port      the port, the scheme's default when the URL has none
 * @param tls       https
 * @param addresses the checked addresses, in resolver order
 */
public record Destination(URI uri, String host, int port, boolean tls, List<InetAddress> addresses) {
    public Destination {
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("a destination needs an address");
        }
    }

    /** The Host header value: the name as written, with the port when it is not the scheme's default. */
    public String hostHeader() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return port == (tls ? 443 : 80) ? h : h + ":" + port;
    }
}
