package dev.longshore.local.autoscale;

import java.util.List;

/**
 * The group at one moment, for the live view and the run record.
 *
 * @param now         seconds on the fleet clock (the time base of {@link FleetInstance}'s times)
 * @param t           seconds since the load started (the fleet clock's time before it starts)
 * @param visible     visible messages at the last evaluation
 * @param instances   every instance so far, with its state
 * @param activities  scaling actions so far
 */
public record FleetSnapshot(double now, double t, double warmupSeconds, int visible, int booting, int warming, int inService, int draining,
                            int peakDesired, int peakRunning, List<FleetInstance> instances, List<Activity> activities) {
    public int desired() {
        return booting + inService;
    }
}
