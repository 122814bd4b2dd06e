package dev.longshore.core.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.testkit.aws.AwsCall;
import dev.longshore.testkit.aws.FakeAws;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstanceHealthTest {

    @Test
    void declaringUnhealthyTellsTheGroupAtOnceIgnoringTheGracePeriod() {
        try (FakeAws aws = FakeAws.start(); InstanceHealth health = new InstanceHealth(FleetFixtures.context(aws))) {
            assertTrue(health.declareUnhealthy("GPU lost (Xid 79)"));
            assertEquals("UNHEALTHY", aws.autoScaling().healthStatus());
            AwsCall call = aws.autoScaling().calls("SetInstanceHealth").get(0);
            assertEquals("i-0123456789abcdef0", call.param("InstanceId"));
            assertEquals("Unhealthy", call.param("HealthStatus"));
            assertEquals("false", call.param("ShouldRespectGracePeriod"));
        }
    }

    @Test
    void offEc2DeclaringUnhealthyReportsFalseAndCallsNothing() throws Exception {
        try (FakeAws aws = FakeAws.start()) {
            AwsClients clients = AwsClients.at(aws.endpoint());
            FleetContext offEc2 = new FleetContext(
                    new ImdsInstanceMetadata(Optional.of(Blackhole.refused()), ImdsInstanceMetadata.DEFAULT_TOKEN_TTL),
                    new SdkAutoScalingApi(clients::autoScaling), Optional.empty(), clients, Clock.systemUTC());
            try (InstanceHealth health = new InstanceHealth(offEc2)) {
                assertFalse(health.declareUnhealthy("GPU lost"));
            }
            assertTrue(aws.autoScaling().calls().isEmpty());
        }
    }
}
