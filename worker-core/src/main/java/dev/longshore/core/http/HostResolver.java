package dev.longshore.core.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Name resolution, replaceable in tests (a host name that resolves to the metadata address, DNS rebinding). */
@FunctionalInterface
public interface HostResolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;

    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
}
