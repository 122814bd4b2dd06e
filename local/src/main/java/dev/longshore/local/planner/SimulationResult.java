package dev.longshore.local.planner;

import dev.longshore.local.autoscale.Activity;
import dev.longshore.local.autoscale.Percentiles;
import dev.longshore.local.autoscale.Timeline;
import java.util.List;

/**
 * What the planner predicts for one scenario.
 *
 * @param jobs             jobs in the workload
 * @param completed        jobs finished before the simulation ended
 * @param timeToDrain      first arrival until the last job finished (NaN when not all finished)
 * @param drainAfterLast   last arrival until the last job finished (for a single burst, the same)
 * @param latency          arrival to finish, per finished job
 * @param waits            arrival to start, per started job
 * @param firstJobWait     how long the first job to arrive waited for an instance
 * @param peakDesired      most instances launched and not being scaled in at once (what {@code max} caps)
 * @param peakRunning      most instances alive at once, draining ones included
 * @param peakQueue        most visible messages at once
 * @param peakWork         most messages visible or in flight at once (the metric's numerator)
 * @param launched         instances launched (the ones at {@code min} at the start not counted)
 * @param scaledIn         instances scaled in
 * @param scaledInBusy     of those, the ones that had a job running when chosen (0: scale-in protection holds)
 * @param instanceSeconds  summed lifetime of all instances inside the simulated window
 * @param cost             what those instances cost (per second, 60 s minimum each)
 * @param end              end of the simulated window: when the group settled back at min, or the horizon if later
 * @param activities       every scaling action
 * @param timeline         queue depth and instances over time
 */
public record SimulationResult(int jobs, int completed, double timeToDrain, double drainAfterLast, Percentiles latency, Percentiles waits,
                               double firstJobWait, int peakDesired, int peakRunning, int peakQueue, int peakWork, int launched,
                               int scaledIn, int scaledInBusy,
                               double instanceSeconds, double cost, double end, List<Activity> activities,
                               Timeline timeline) {
    public boolean drained() {
        return completed == jobs;
    }

    public double instanceHours() {
        return instanceSeconds / 3600;
    }
}
