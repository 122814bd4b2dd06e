package dev.longshore.core.http;

import dev.longshore.core.config.ConfigException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code WORKER_PRIVATE_DESTINATIONS}: the host names, addresses and CIDR blocks an outbound request may reach
 * although they are not public (README: Security). Empty by default: no message can make a worker call
 * loopback, the VPC or instance metadata.
 */
public final class PrivateDestinations {
    public static final String VARIABLE = "WORKER_PRIVATE_DESTINATIONS";
    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    private static final String EXPECTED = "a comma-separated list of host names, IP addresses or CIDR blocks "
            + "such as internal.example.com,127.0.0.1,10.0.0.0/8";
    private static final PrivateDestinations NONE = new PrivateDestinations(Set.of(), List.of());

    private final Set<String> hostNames;
    private final List<CidrBlock> blocks;

    private PrivateDestinations(Set<String> hostNames, List<CidrBlock> blocks) {
        this.hostNames = Set.copyOf(hostNames);
        this.blocks = List.copyOf(blocks);
    }

    public static PrivateDestinations none() {
        return NONE;
    }

    /**
     * Parses the setting.
     *
     * @throws ConfigException naming {@value #VARIABLE}, the value and the expected form
     */
    public static PrivateDestinations parse(String raw) {
        Set<String> names = new LinkedHashSet<>();
        List<CidrBlock> blocks = new ArrayList<>();
        for (String part : raw.split(",")) {
            String entry = part.strip().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            var block = CidrBlock.parse(entry);
            if (block.isPresent()) {
                blocks.add(block.get());
            } else if (HOST_NAME.matcher(stripDot(entry)).matches() && !entry.matches("[0-9.]+")) {
                names.add(stripDot(entry));
            } else {
                throw ConfigException.invalid(VARIABLE, raw, EXPECTED + " ('" + part.strip() + "' is not)");
            }
        }
        return new PrivateDestinations(names, blocks);
    }

    /** Whether {@code address}, reached as {@code host}, was listed by name, address or block. */
    public boolean allows(String host, InetAddress address) {
        return hostNames.contains(stripDot(host.toLowerCase(Locale.ROOT)))
                || blocks.stream().anyMatch(b -> b.contains(address));
    }

    public boolean isEmpty() {
        return hostNames.isEmpty() && blocks.isEmpty();
    }

    /** For the start-up log line. */
    public String describe() {
        if (isEmpty()) {
            return "none";
        }
        List<String> all = new ArrayList<>(hostNames);
        blocks.forEach(b -> all.add(b.network().getHostAddress() + "/" + b.prefix()));
        return String.join(",", all);
    }

    private static String stripDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }
}
