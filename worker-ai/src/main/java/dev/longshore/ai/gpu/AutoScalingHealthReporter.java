package dev.longshore.ai.gpu;

import dev.longshore.core.fleet.InstanceHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a lost GPU to the instance's Auto Scaling group (SetInstanceHealth(Unhealthy)), so the group replaces
 * the machine instead of restarting the worker on a broken GPU forever. Off EC2 the fleet client logs and does
 * nothing. The clients are created on the first report: a healthy worker never contacts the metadata service
 * for this.
 */
public final class AutoScalingHealthReporter implements InstanceHealthReporter {
    private static final Logger log = LoggerFactory.getLogger(AutoScalingHealthReporter.class);

    @Override
    public void reportUnhealthy(String reason) {
        try (InstanceHealth health = InstanceHealth.fromEnvironment()) {
            health.declareUnhealthy(reason);
        } catch (RuntimeException e) {
            log.error("could not report the instance unhealthy ({}): {}", reason, e.toString());
        }
    }
}
