package dev.longshore.core.fleet;

import dev.longshore.core.WorkerControl;
import dev.longshore.core.WorkerExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the fleet features share about this instance: whether it is on EC2 at all (one bounded probe of instance
 * metadata, logged once), its instance id and its Auto Scaling group. It also owns the clients and closes them;
 * as an extension it is listed after the features that use it, so it is closed after them.
 */
final class FleetContext implements WorkerExtension {
    private static final Logger log = LoggerFactory.getLogger(FleetContext.class);
    /** A failed group lookup (throttled, or DescribeAutoScalingInstances denied) is not retried sooner for metrics. */
    static final Duration GROUP_LOOKUP_RETRY = Duration.ofMinutes(5);

    private final InstanceMetadata metadata;
    private final AutoScalingApi autoScaling;
    private final Optional<String> configuredGroup;
    private final AutoCloseable clients;
    private final Clock clock;
    private Optional<String> instanceId;
    private boolean answeredErrorLogged;
    private String group;
    private boolean inNoGroup;
    private Instant nextGroupLookup = Instant.MIN;

    FleetContext(InstanceMetadata metadata, AutoScalingApi autoScaling, Optional<String> configuredGroup,
                 AutoCloseable clients, Clock clock) {
        this.metadata = metadata;
        this.autoScaling = autoScaling;
        this.configuredGroup = configuredGroup;
        this.clients = clients;
        this.clock = clock;
    }

    /**
     * The standard clients: IMDS and Auto Scaling as the SDK finds them, built on first use. The context owns
     * {@code clients} and closes them; the caller may build its own clients of the same set (CloudWatch).
     */
    static FleetContext standard(Optional<String> configuredGroup, AwsClients clients) {
        return new FleetContext(ImdsInstanceMetadata.standard(), new SdkAutoScalingApi(clients::autoScaling),
                configuredGroup, clients, Clock.systemUTC());
    }

    InstanceMetadata metadata() {
        return metadata;
    }

    AutoScalingApi autoScaling() {
        return autoScaling;
    }

    /**
     * The instance id. The first call probes instance metadata (bounded by {@link ImdsInstanceMetadata#TIMEOUT}
     * per request): no answer at all means "not on EC2", remembered for the life of the process. An HTTP error
     * (throttled, restarting) is not remembered: the next call asks again.
     */
    synchronized Optional<String> instanceId() {
        if (instanceId == null) {
            try {
                instanceId = metadata.read(InstanceMetadata.INSTANCE_ID);
                if (instanceId.isEmpty()) {
                    log.warn("instance metadata at {} has no instance-id; fleet features that need one are off",
                            metadata.endpoint());
                }
            } catch (MetadataUnavailableException e) {
                if (e.answered()) {
                    if (!answeredErrorLogged) {
                        answeredErrorLogged = true;
                        log.warn("instance metadata answered with an error ({}); asking again later", e.getMessage());
                    }
                    return Optional.empty();
                }
                instanceId = Optional.empty();
                log.info("no instance metadata ({}): not on EC2, or in a container on EC2 whose launch template "
                        + "has HttpPutResponseHopLimit 1; lifecycle handling, scale-in protection and instance "
                        + "health are off", e.getMessage());
            }
        }
        return instanceId;
    }

    /** True once the probe found no instance metadata at all (or one without an instance id). */
    synchronized boolean offEc2() {
        return instanceId != null && instanceId.isEmpty();
    }

    /** The group for metrics dimensions: a failed lookup is retried after {@link #GROUP_LOOKUP_RETRY}. */
    synchronized Optional<String> groupName() {
        return lookUpGroup(false);
    }

    /** The group for an API call that needs it now (completing a lifecycle action): looks up again if unknown. */
    synchronized Optional<String> requireGroupName() {
        return lookUpGroup(true);
    }

    private Optional<String> lookUpGroup(boolean now) {
        if (configuredGroup.isPresent()) {
            return configuredGroup;
        }
        if (group != null || inNoGroup) {
            return Optional.ofNullable(group);
        }
        if (!now && clock.instant().isBefore(nextGroupLookup)) {
            return Optional.empty();
        }
        Optional<String> id = instanceId();
        if (id.isEmpty()) {
            return Optional.empty();
        }
        try {
            Optional<String> found = autoScaling.groupOf(id.get());
            if (found.isPresent()) {
                group = found.get();
                log.info("instance {} is in Auto Scaling group {}", id.get(), group);
            } else {
                inNoGroup = true;
                log.warn("instance {} is in no Auto Scaling group (DescribeAutoScalingInstances found none)", id.get());
            }
            return found;
        } catch (RuntimeException e) {
            nextGroupLookup = clock.instant().plus(GROUP_LOOKUP_RETRY);
            log.warn("cannot find the Auto Scaling group of {} with DescribeAutoScalingInstances: {} (set WORKER_ASG_NAME "
                    + "to skip the lookup)", id.get(), ImdsInstanceMetadata.oneLine(e.getMessage()));
            return Optional.empty();
        }
    }

    @Override
    public void start(WorkerControl control) {
        // Nothing runs here: the features probe and look up lazily on their own threads.
    }

    @Override
    public void close() {
        metadata.close();
        try {
            clients.close();
        } catch (Exception e) {
            log.warn("closing AWS clients failed: {}", e.toString());
        }
    }
}
