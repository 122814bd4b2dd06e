package dev.longshore.local.autoscale;

/**
 * What the policy sees at one evaluation.
 *
 * @param visible   visible messages in the queue (ApproximateNumberOfMessagesVisible)
 * @param booting   launched instances not yet in service (they count toward desired capacity)
 * @param inService instances in service, the metric's denominator (warming ones included)
 * @param warming   of those, the ones still inside their warmup
 * @param draining  instances being scaled in (Terminating:Wait); no longer part of desired capacity
 */
public record Observation(int visible, int booting, int inService, int warming, int draining) {
    public Observation {
        if (visible < 0 || booting < 0 || inService < 0 || warming < 0 || draining < 0 || warming > inService) {
            throw new IllegalArgumentException("impossible observation: " + visible + " visible, " + booting
                    + " booting, " + inService + " in service, " + warming + " warming, " + draining + " draining");
        }
    }

    /** Desired capacity as Auto Scaling holds it: instances launched and not being terminated. */
    public int desired() {
        return booting + inService;
    }
}
