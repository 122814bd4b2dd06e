package dev.longshore.core.http;

import dev.longshore.core.job.JobFailure;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a URL may be called, once per hop (README: Security). Every address the host resolves to
 * must be public, or listed in {@code WORKER_PRIVATE_DESTINATIONS}, or (for webhooks) in
 * {@code WORKER_WEBHOOK_ALLOWED_HOSTS}; otherwise the job fails permanently. The checked addresses are handed
 * on in a {@link Destination}, so the connection goes to an address that was checked.
 *
 * @param privateDestinations the private addresses and names {@code WORKER_PRIVATE_DESTINATIONS} unlocks
 * @param allowedHosts        {@code WORKER_WEBHOOK_ALLOWED_HOSTS}: names and addresses a webhook may call when private
 * @param resolver            the name lookup; a test's fake can answer differently on each call
 */
public record DestinationPolicy(PrivateDestinations privateDestinations, AllowedHosts allowedHosts,
                                HostResolver resolver) {

    /**
     * Checks and resolves {@code uri}.
     *
     * @throws PermanentFailure when the URL is not plain http(s) or a destination is refused
     * @throws RetryableFailure when the host name cannot be resolved now
     */
    public Destination check(URI uri, FailureCodes codes) throws JobFailure {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new PermanentFailure(codes.of("invalid_url"), "only http and https URLs are fetched, not '"
                    + scheme + "' (" + Urls.redact(uri) + ")");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new PermanentFailure(codes.of("invalid_url"), "the URL names no host: " + Urls.redact(uri));
        }
        if (uri.getRawUserInfo() != null) {
            throw new PermanentFailure(codes.of("invalid_url"), "the URL carries user:password in its authority ("
                    + Urls.redact(uri) + ")");
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        bare = bare.toLowerCase(Locale.ROOT);
        if (allowedHosts.restricted() && !allowedHosts.lists(bare)) {
            throw new PermanentFailure(codes.of("host_not_allowed"), "host " + bare + " is not in "
                    + allowedHosts.variable());
        }
        List<InetAddress> addresses;
        try {
            addresses = IpLiterals.parse(bare).map(List::of).orElse(null);
            if (addresses == null) {
                addresses = resolver.resolve(bare);
            }
        } catch (UnknownHostException e) {
            throw new RetryableFailure(codes.of("dns"), "cannot resolve " + bare + ": " + e.getMessage());
        }
        if (addresses.isEmpty()) {
            throw new RetryableFailure(codes.of("dns"), "no address for " + bare);
        }
        for (InetAddress a : addresses) {
            AddressClass kind = AddressClass.of(a);
            if (kind != AddressClass.PUBLIC && !allowed(bare, a, kind)) {
                throw new PermanentFailure(codes.refused(), "refusing " + bare + " at " + text(a) + ": a "
                        + kind.label() + " address, not listed in " + PrivateDestinations.VARIABLE
                        + (allowedHosts.restricted() ? " or by address in " + allowedHosts.variable() : ""));
            }
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return new Destination(uri, bare, port, scheme.equals("https"), addresses);
    }

    private boolean allowed(String host, InetAddress address, AddressClass kind) {
        if (privateDestinations.allows(host, address) || allowedHosts.lists(text(address))
                || allowedHosts.lists(address.getHostAddress())) {
            return true;
        }
        return !kind.linkLocal() && allowedHosts.lists(host);
    }

    /** The address without an IPv6 scope, as operators write it. */
    static String text(InetAddress a) {
        String s = a.getHostAddress().toLowerCase(Locale.ROOT);
        int scope = s.indexOf('%');
        s = scope < 0 ? s : s.substring(0, scope);
        if (a instanceof Inet6Address) {
            // Compressed form (fd00:ec2::254), as operators write it, not Java's fd00:ec2:0:0:0:0:0:254.
            s = compress(s);
        }
        return s;
    }

    private static String compress(String full) {
        String[] groups = full.split(":");
        StringBuilder sb = new StringBuilder();
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < groups.length; i++) {
            groups[i] = groups[i].replaceFirst("^0+(?=.)", "");
        }
        for (int i = 0; i < groups.length; ) {
            if (groups[i].equals("0")) {
                int j = i;
                while (j < groups.length && groups[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen && j - i > 1) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        for (int i = 0; i < groups.length; i++) {
            if (i == bestStart) {
                sb.append(i == 0 ? "::" : ":");
                i += bestLen - 1;
                continue;
            }
            sb.append(groups[i]);
            if (i < groups.length - 1) {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}
