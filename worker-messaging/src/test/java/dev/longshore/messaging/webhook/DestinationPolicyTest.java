package dev.longshore.messaging.webhook;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.longshore.core.job.PermanentFailure;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DestinationPolicyTest {
    /** Resolves every name to the EC2 metadata address: a DNS answer an attacker controls. */
    private static final HostResolver EVIL_DNS = host -> List.of(InetAddress.getByName("169.254.169.254"));

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/iam/security-credentials/",
            "http://[fd00:ec2::254]/latest/meta-data/", "http://169.254.170.2/v2/credentials",
            "http://[::ffff:169.254.169.254]/", "http://[fe80::1]/", "http://0.0.0.0:8080/"})
    void metadataAndLinkLocalAddressesAreRefused(String url) {
        DestinationPolicy policy = new DestinationPolicy(Set.of(), HostResolver.SYSTEM);
        PermanentFailure f = assertThrows(PermanentFailure.class, () -> policy.check(URI.create(url)));
        assertEquals("webhook_forbidden_address", f.code());
    }

    @Test
    void hostNameResolvingToTheMetadataAddressIsRefused() {
        DestinationPolicy policy = new DestinationPolicy(Set.of(), EVIL_DNS);
        PermanentFailure f = assertThrows(PermanentFailure.class,
                () -> policy.check(URI.create("https://hooks.example.com/x")));
        assertEquals("webhook_forbidden_address", f.code());
    }

    @Test
    void allowListingTheHostNameDoesNotUnlockTheMetadataAddress() {
        DestinationPolicy policy = new DestinationPolicy(Set.of("hooks.example.com"), EVIL_DNS);
        assertThrows(PermanentFailure.class, () -> policy.check(URI.create("https://hooks.example.com/x")));
    }

    @Test
    void metadataAddressListedByAddressIsAllowed() {
        DestinationPolicy policy = new DestinationPolicy(Set.of("169.254.169.254"), HostResolver.SYSTEM);
        assertDoesNotThrow(() -> policy.check(URI.create("http://169.254.169.254/")));
    }

    @Test
    void hostsOutsideTheAllowListAreRefused() {
        DestinationPolicy policy = new DestinationPolicy(Set.of("127.0.0.1"), HostResolver.SYSTEM);
        assertDoesNotThrow(() -> policy.check(URI.create("http://127.0.0.1:9/")));
        PermanentFailure f = assertThrows(PermanentFailure.class, () -> policy.check(URI.create("http://localhost:9/")));
        assertEquals("webhook_host_not_allowed", f.code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "ftp://example.com/", "gopher://127.0.0.1/", "http://user:pw@127.0.0.1/"})
    void onlyPlainHttpUrlsAreCalled(String url) {
        DestinationPolicy policy = new DestinationPolicy(Set.of(), HostResolver.SYSTEM);
        assertEquals("webhook_invalid_url",
                assertThrows(PermanentFailure.class, () -> policy.check(URI.create(url))).code());
    }
}
