package dev.longshore.messaging.webhook;

import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a webhook URL may be called (SSRF guard). A message must not be able to make the worker read
 * instance metadata (credentials!) or other link-local services: such addresses are refused unless the
 * operator listed the address itself, and the check runs on every resolved address and on every redirect.
 */
public final class DestinationPolicy {
    /** EC2's IPv6 instance metadata endpoint; not link-local, so named explicitly. */
    private static final InetAddress EC2_METADATA_V6 = literal("fd00:ec2::254");

    private final Set<String> allowedHosts;
    private final HostResolver resolver;

    public DestinationPolicy(Set<String> allowedHosts, HostResolver resolver) {
        this.allowedHosts = Set.copyOf(allowedHosts);
        this.resolver = resolver;
    }

    /**
     * Checks a URL before it is called.
     *
     * @throws PermanentFailure when the URL is not http(s), names no host, or the destination is refused
     * @throws RetryableFailure when the host name cannot be resolved now
     */
    public List<InetAddress> check(URI url) throws PermanentFailure, RetryableFailure {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new PermanentFailure("webhook_invalid_url", "webhook URL must be http or https: " + url);
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            throw new PermanentFailure("webhook_invalid_url", "webhook URL has no host: " + url);
        }
        if (url.getRawUserInfo() != null) {
            throw new PermanentFailure("webhook_invalid_url", "webhook URL must not carry credentials in the authority");
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        bare = bare.toLowerCase(Locale.ROOT);
        if (!allowedHosts.isEmpty() && !allowedHosts.contains(bare)) {
            throw new PermanentFailure("webhook_host_not_allowed",
                    "host " + bare + " is not in WORKER_WEBHOOK_ALLOWED_HOSTS");
        }
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            throw new RetryableFailure("webhook_dns", "cannot resolve " + bare + ": " + e.getMessage());
        }
        if (addresses.isEmpty()) {
            throw new RetryableFailure("webhook_dns", "no address for " + bare);
        }
        for (InetAddress a : addresses) {
            if (isForbidden(a) && !allowedHosts.contains(a.getHostAddress().toLowerCase(Locale.ROOT))
                    && !allowedHosts.contains(canonical(a))) {
                throw new PermanentFailure("webhook_forbidden_address", "refusing to call " + bare + " at "
                        + a.getHostAddress() + ": link-local and instance-metadata addresses are not allowed "
                        + "unless listed by address in WORKER_WEBHOOK_ALLOWED_HOSTS");
            }
        }
        return addresses;
    }

    static boolean isForbidden(InetAddress a) {
        if (a.isLinkLocalAddress() || a.isAnyLocalAddress()) {
            return true;
        }
        if (a instanceof Inet6Address v6) {
            if (v6.equals(EC2_METADATA_V6)) {
                return true;
            }
            byte[] b = v6.getAddress();
            // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) forms of a forbidden IPv4 address.
            boolean mapped = isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
                    && (b[3] & 0xff) == 0x9b && isZero(b, 4, 12);
            if (mapped || nat64) {
                try {
                    return isForbidden(Inet4Address.getByAddress(new byte[]{b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static String canonical(InetAddress a) {
        return a.getHostAddress().toLowerCase(Locale.ROOT).replaceAll("%.*$", "");
    }

    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
