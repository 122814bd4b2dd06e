package dev.longshore.local.autoscale;

/**
 * What the policy sees at one evaluation.
 *
 * @param visible   visible messages in the queue (ApproximateNumberOfMessagesVisible)
 * @param inFlight  messages being worked on (ApproximateNumberOfMessagesNotVisible, or the sum of the workers'
 *                  {@code longshore_inflight_messages})
 * @param booting   launched instances not yet in service (they count toward desired capacity)
 * @param inService instances in service, the metric's denominator (warming ones included)
 * @param warming   of those, the ones still inside their warmup
 * @param draining  instances being scaled in (Terminating:Wait); no longer part of desired capacity
 * @param idle      of the instances in service, those with nothing in flight: the only ones scale-in may choose,
 *                  because a busy worker protects itself from scale-in ({@code WORKER_SCALE_IN_PROTECTION}, README
 *                  "Configuration")
 */
public record Observation(int visible, int inFlight, int booting, int inService, int warming, int draining, int idle) {
    public Observation {
        if (visible < 0 || inFlight < 0 || booting < 0 || inService < 0 || warming < 0 || draining < 0 || idle < 0
                || warming > inService || idle > inService) {
            throw new IllegalArgumentException("impossible observation: " + visible + " visible, " + inFlight
                    + " in flight, " + booting + " booting, " + inService + " in service (" + warming + " warming, "
                    + idle + " idle), " + draining + " draining");
        }
    }

    /** Desired capacity as Auto Scaling holds it: instances launched and not being terminated. */
    public int desired() {
        return booting + inService;
    }

    /** The work the metric counts: messages waiting plus messages being worked on. */
    public long work() {
        return (long) visible + inFlight;
    }
}
