package dev.longshore.video.testing;

import dev.longshore.testkit.s3.FakeS3Server;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Resolves {@code <anything>.localhost} to the loopback address in the test JVM, as RFC 6761 says it should and as
 * many (not all) system resolvers do, so that the S3 SDK's virtual-hosted-style requests
 * ({@code http://media.localhost:PORT/key}) reach {@link FakeS3Server}. Every other name goes to the built-in
 * resolver. Registered in {@code META-INF/services/java.net.spi.InetAddressResolverProvider} of the test classpath.
 */
public final class LocalhostSubdomains extends InetAddressResolverProvider {
    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                if (host.toLowerCase(Locale.ROOT).endsWith(".localhost")) {
                    return Stream.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
                }
                return builtin.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                return builtin.lookupByAddress(addr);
            }
        };
    }

    @Override
    public String name() {
        return "localhost-subdomains";
    }
}
