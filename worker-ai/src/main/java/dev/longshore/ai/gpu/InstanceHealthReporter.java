package dev.longshore.ai.gpu;

/**
 * Tells the fleet that this machine should be replaced (a GPU is lost or has a fatal Xid). On an Auto Scaling
 * group this is SetInstanceHealth(Unhealthy) ({@link AutoScalingHealthReporter}); {@link #LOGGING} only records
 * the decision (tests). Either way the exit 1 that follows asks the supervisor for a restart.
 */
@FunctionalInterface
public interface InstanceHealthReporter {
    InstanceHealthReporter LOGGING = new LoggingInstanceHealthReporter();

    /** Called once, before the worker drains; must not throw and should not block for long. */
    void reportUnhealthy(String reason);
}
