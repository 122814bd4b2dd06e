package dev.longshore.core.fleet;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a worker tell its Auto Scaling group that this instance is broken (e.g. its GPU is lost), so the group
 * replaces it: SetInstanceHealth(Unhealthy), not waiting for the health check grace period. The replacement then
 * goes through the group's termination lifecycle hook like any scale-in, so jobs still running drain first.
 * Off EC2 it logs and does nothing. Nothing is contacted before the first {@link #declareUnhealthy} call.
 */
public final class InstanceHealth implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InstanceHealth.class);

    private final FleetContext fleet;

    InstanceHealth(FleetContext fleet) {
        this.fleet = fleet;
    }

    /** Instance metadata and Auto Scaling as the SDK finds them (standard endpoint variables). */
    public static InstanceHealth fromEnvironment() {
        return new InstanceHealth(FleetContext.standard(Optional.empty(), AwsClients.standard()));
    }

    /**
     * Marks this instance Unhealthy in its group. Blocks for at most a few seconds off EC2 (the metadata probe)
     * and for the API call's timeout on EC2.
     *
     * @param reason logged with the request, e.g. "GPU lost (Xid 79)"
     * @return true when Auto Scaling accepted it; false off EC2 or when the call failed (logged)
     */
    public boolean declareUnhealthy(String reason) {
        log.warn("declaring this instance unhealthy: {}", reason);
        Optional<String> id = fleet.instanceId();
        if (id.isEmpty()) {
            log.warn("cannot declare the instance unhealthy: no instance metadata, so no instance to name");
            return false;
        }
        try {
            fleet.autoScaling().setUnhealthy(id.get());
            log.warn("instance {} is marked Unhealthy; its Auto Scaling group will replace it", id.get());
            return true;
        } catch (RuntimeException e) {
            log.error("SetInstanceHealth(Unhealthy) for {} failed: {}", id.get(), ImdsInstanceMetadata.oneLine(e.getMessage()));
            return false;
        }
    }

    @Override
    public void close() {
        fleet.close();
    }
}
