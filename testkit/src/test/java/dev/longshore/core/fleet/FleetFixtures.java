package dev.longshore.core.fleet;

import dev.longshore.testkit.aws.FakeAws;
import java.time.Clock;
import java.util.Optional;

/** Fleet contexts wired to a {@link FakeAws} through endpoint overrides (the in-JVM way; child JVMs use variables). */
final class FleetFixtures {
    private FleetFixtures() {
    }

    static FleetContext context(FakeAws aws, Optional<String> configuredGroup, Clock clock) {
        AwsClients clients = AwsClients.at(aws.endpoint());
        return new FleetContext(new ImdsInstanceMetadata(Optional.of(aws.endpoint()), ImdsInstanceMetadata.DEFAULT_TOKEN_TTL),
                new SdkAutoScalingApi(clients::autoScaling), configuredGroup, clients, clock);
    }

    static FleetContext context(FakeAws aws) {
        return context(aws, Optional.empty(), Clock.systemUTC());
    }
}
