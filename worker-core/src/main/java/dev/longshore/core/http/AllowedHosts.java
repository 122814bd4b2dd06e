package dev.longshore.core.http;

import java.util.Locale;
import java.util.Set;

/**
 * An operator's list of the only hosts a caller may reach ({@code WORKER_WEBHOOK_ALLOWED_HOSTS}); empty means
 * any host. A host listed by name may resolve to a private address, but a link-local or instance-metadata
 * address is reached only when listed by address (README: Security).
 *
 * @param hosts    lower-case host names and IP literals, without brackets
 * @param variable the setting, for failure reasons
 */
public record AllowedHosts(Set<String> hosts, String variable) {
    public static final AllowedHosts ANY = new AllowedHosts(Set.of(), "");

    public AllowedHosts {
        hosts = Set.copyOf(hosts);
    }

    public boolean restricted() {
        return !hosts.isEmpty();
    }

    public boolean lists(String hostOrAddress) {
        return hosts.contains(hostOrAddress.toLowerCase(Locale.ROOT));
    }
}
