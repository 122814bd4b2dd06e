package dev.longshore.core.fleet;

import java.util.Optional;

/** The subset of EC2 instance metadata the fleet features read (paths below {@code /latest/meta-data/}). */
interface InstanceMetadata extends AutoCloseable {
    String INSTANCE_ID = "instance-id";
    String TARGET_LIFECYCLE_STATE = "autoscaling/target-lifecycle-state";
    String SPOT_INSTANCE_ACTION = "spot/instance-action";
    String REBALANCE_RECOMMENDATION = "events/recommendations/rebalance";

    /**
     * @return the value, or empty when the path has none (HTTP 404: no spot notice yet, not in a group)
     * @throws MetadataUnavailableException when the service did not answer or refused
     */
    Optional<String> read(String path) throws MetadataUnavailableException;

    /** Where it is read from, for log lines. */
    String endpoint();

    @Override
    void close();
}
