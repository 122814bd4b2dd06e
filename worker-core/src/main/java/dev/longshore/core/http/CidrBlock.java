package dev.longshore.core.http;

import java.net.InetAddress;
import java.util.Optional;

/** An address block such as {@code 10.0.0.0/8} or {@code fd00::/8}; a single address is a /32 or /128. */
public record CidrBlock(InetAddress network, int prefix) {

    /** Parses {@code address[/prefix]} without DNS; empty when it is not an IP literal or block. */
    public static Optional<CidrBlock> parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        Optional<InetAddress> ip = IpLiterals.parse(address);
        if (ip.isEmpty()) {
            return Optional.empty();
        }
        int bits = ip.get().getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (prefix < 0 || prefix > bits) {
                return Optional.empty();
            }
        }
        return Optional.of(new CidrBlock(ip.get(), prefix));
    }

    public boolean contains(InetAddress address) {
        byte[] net = network.getAddress();
        byte[] a = address.getAddress();
        if (net.length != a.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (net[i] != a[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (net[full] & mask) == (a[full] & mask);
    }
}
