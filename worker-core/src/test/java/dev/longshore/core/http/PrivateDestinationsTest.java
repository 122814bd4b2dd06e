package dev.longshore.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.config.ConfigException;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrivateDestinationsTest {
    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void namesAddressesAndBlocksAreListed() throws Exception {
        PrivateDestinations p = PrivateDestinations.parse(" internal.example.com , 127.0.0.1, 10.0.0.0/8, fd00::/8 ");
        assertTrue(p.allows("internal.example.com", ip("192.168.0.9")));
        assertTrue(p.allows("x", ip("127.0.0.1")));
        assertFalse(p.allows("x", ip("127.0.0.2")));
        assertTrue(p.allows("x", ip("10.200.0.1")));
        assertTrue(p.allows("x", ip("fd12::1")));
        assertFalse(p.allows("x", ip("172.16.0.1")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "http://x", "a b", "256.1.1.1", "host:80", "10.0.0.0/x", "1.2.3"})
    void invalidEntryIsAConfigErrorNamingTheVariable(String raw) {
        ConfigException e = assertThrows(ConfigException.class, () -> PrivateDestinations.parse(raw));
        assertEquals("WORKER_PRIVATE_DESTINATIONS", e.variable());
        assertTrue(e.getMessage().contains("WORKER_PRIVATE_DESTINATIONS=\"" + raw + "\" is invalid: expected"),
                e.getMessage());
    }

    @Test
    void webhookAllowListByNameDoesNotUnlockMetadataButByAddressDoes() throws Exception {
        HostResolver evil = host -> List.of(InetAddress.getByName("169.254.169.254"));
        DestinationPolicy byName = new DestinationPolicy(PrivateDestinations.none(),
                new AllowedHosts(Set.of("hooks.example.com"), "WORKER_WEBHOOK_ALLOWED_HOSTS"), evil);
        assertThrows(dev.longshore.core.job.PermanentFailure.class,
                () -> byName.check(URI.create("https://hooks.example.com/x"), FailureCodes.WEBHOOK));
        DestinationPolicy byAddress = new DestinationPolicy(PrivateDestinations.none(),
                new AllowedHosts(Set.of("169.254.169.254"), "WORKER_WEBHOOK_ALLOWED_HOSTS"), HostResolver.SYSTEM);
        byAddress.check(URI.create("http://169.254.169.254/"), FailureCodes.WEBHOOK);
        DestinationPolicy v6 = new DestinationPolicy(PrivateDestinations.none(),
                new AllowedHosts(Set.of("fd00:ec2::254"), "WORKER_WEBHOOK_ALLOWED_HOSTS"), HostResolver.SYSTEM);
        v6.check(URI.create("http://[fd00:ec2::254]/"), FailureCodes.WEBHOOK);
    }

    @Test
    void urlsAreRedactedToTheirOrigin() {
        assertEquals("https://hooks.slack.com", Urls.redact(URI.create("https://u:p@hooks.slack.com/services/T0/B0/secret?x=1#f")));
        assertEquals("http://127.0.0.1:8080", Urls.redact(URI.create("http://127.0.0.1:8080/a?b")));
    }
}
