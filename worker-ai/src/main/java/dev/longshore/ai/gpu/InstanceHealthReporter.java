package dev.longshore.ai.gpu;

/**
 * Tells the fleet that this machine should be replaced (a GPU is lost or has a fatal Xid). On an Auto Scaling
 * group this becomes SetInstanceHealth(Unhealthy); that call belongs to the fleet integration, which supplies
 * its own implementation. Until then {@link #LOGGING} records the decision and the exit 1 that follows asks the
 * supervisor for a restart.
 */
@FunctionalInterface
public interface InstanceHealthReporter {
    InstanceHealthReporter LOGGING = new LoggingInstanceHealthReporter();

    /** Called once, before the worker drains; must not throw and should not block for long. */
    void reportUnhealthy(String reason);
}
