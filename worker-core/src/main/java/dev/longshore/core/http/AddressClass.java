package dev.longshore.core.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The kind of network an IP address belongs to. Everything but {@link #PUBLIC} is refused as an outbound
 * destination unless the operator lists it (README: Security). IPv6 forms that embed an IPv4 address
 * (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4 address inside.
 */
public enum AddressClass {
    PUBLIC("public"),
    LOOPBACK("loopback"),
    PRIVATE("private"),
    CARRIER_GRADE_NAT("carrier-grade NAT"),
    UNIQUE_LOCAL("unique-local"),
    LINK_LOCAL("link-local"),
    INSTANCE_METADATA("link-local instance-metadata"),
    MULTICAST("multicast"),
    BROADCAST("broadcast"),
    UNSPECIFIED("unspecified"),
    RESERVED("reserved");

    private final String label;

    AddressClass(String label) {
        this.label = label;
    }

    /** Words for a failure reason, e.g. {@code "link-local instance-metadata"}. */
    public String label() {
        return label;
    }

    /** Link-local addresses reach the instance itself (metadata credentials): unlocked only by address. */
    public boolean linkLocal() {
        return this == LINK_LOCAL || this == INSTANCE_METADATA;
    }

    public static AddressClass of(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return ofV4(b, 0);
        }
        if (address instanceof Inet6Address) {
            return ofV6(b);
        }
        return RESERVED;
    }

    private static AddressClass ofV4(byte[] bytes, int at) {
        int a = bytes[at] & 0xff;
        int b = bytes[at + 1] & 0xff;
        int c = bytes[at + 2] & 0xff;
        int d = bytes[at + 3] & 0xff;
        if (a == 0) {
            return UNSPECIFIED;
        }
        if (a == 127) {
            return LOOPBACK;
        }
        if (a == 10 || a == 172 && (b & 0xf0) == 16 || a == 192 && b == 168) {
            return PRIVATE;
        }
        if (a == 100 && (b & 0xc0) == 64) {
            return CARRIER_GRADE_NAT;
        }
        if (a == 169 && b == 254) {
            return c == 169 && d == 254 ? INSTANCE_METADATA : LINK_LOCAL;
        }
        if (a >= 224 && a <= 239) {
            return MULTICAST;
        }
        if (a == 255 && b == 255 && c == 255 && d == 255) {
            return BROADCAST;
        }
        if (a >= 240) {
            return RESERVED;
        }
        // IETF protocol assignments, documentation ranges and benchmarking (RFC 6890).
        if (a == 192 && b == 0 && (c == 0 || c == 2) || a == 198 && (b & 0xfe) == 18
                || a == 198 && b == 51 && c == 100 || a == 203 && b == 0 && c == 113) {
            return RESERVED;
        }
        return PUBLIC;
    }

    private static AddressClass ofV6(byte[] b) {
        if (zero(b, 0, 16)) {
            return UNSPECIFIED;
        }
        if (zero(b, 0, 15) && b[15] == 1) {
            return LOOPBACK;
        }
        if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff || zero(b, 0, 12)) {
            return ofV4(b, 12);
        }
        if (b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && zero(b, 4, 12)) {
            return ofV4(b, 12);
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return ofV4(b, 2);
        }
        int first = b[0] & 0xff;
        if (first == 0xff) {
            return MULTICAST;
        }
        if (first == 0xfe && (b[1] & 0xc0) == 0x80) {
            return LINK_LOCAL;
        }
        if (first == 0xfe && (b[1] & 0xc0) == 0xc0) {
            return PRIVATE;
        }
        if ((first & 0xfe) == 0xfc) {
            // fd00:ec2::254 is EC2's IPv6 instance metadata endpoint.
            boolean metadata = first == 0xfd && b[1] == 0 && (b[2] & 0xff) == 0x0e && (b[3] & 0xff) == 0xc2
                    && zero(b, 4, 14) && b[14] == 0x02 && b[15] == 0x54;
            return metadata ? INSTANCE_METADATA : UNIQUE_LOCAL;
        }
        if (b[0] == 0x20 && b[1] == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
            return RESERVED;
        }
        if (b[0] == 0x01 && b[1] == 0x00 && zero(b, 2, 8)) {
            return RESERVED;
        }
        return PUBLIC;
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
