package dev.longshore.local.autoscale;

/**
 * The scaling rule, evaluated once per {@link ScalingPolicy#period()}. The local fleet and the planner call this
 * one class, so what the planner predicts is what the fleet does. The metric is work per instance =
 * (visible + in flight) / in service: a job counts from the moment it is queued until it is deleted, so a steady
 * load keeps the metric steady even when nothing waits (docs/local-fleet-and-planner.md, "The scaling rule").
 * Rules, in order:
 * <ol>
 *   <li>Desired capacity (booting + in service) below {@code min}: launch up to {@code min}.</li>
 *   <li>No instance wanted and messages visible: launch one (the stack's zero-to-one step policy; its alarm needs
 *       one data point). Target tracking cannot do it: with no instance the metric has no value.</li>
 *   <li>No instance in service (all booting): no data point; nothing changes, the alarm counts stay.</li>
 *   <li>Work per instance above the target for {@code scaleOutPeriods} evaluations in a row: desired becomes
 *       {@code min(max, ceil(work / target))} (= ceil(in service x metric / target), the proportional rule) if that
 *       is more than now; booting and warming instances count, so nothing is added twice. While the metric stays
 *       high the rule is applied again every period, as Auto Scaling does while the alarm stays in ALARM.</li>
 *   <li>Below {@code scaleInRatio x target} for {@code scaleInPeriods} evaluations in a row, and no instance
 *       booting or warming up: desired becomes {@code max(min, ceil(work / target))} if that is less than now. Only
 *       idle instances (nothing in flight) are scaled in: a busy worker holds scale-in protection
 *       ({@code WORKER_SCALE_IN_PROTECTION}). When fewer are idle than the rule removes, the idle ones go and the
 *       rule is applied again next period, as Auto Scaling terminates protected instances only once their
 *       protection is removed.</li>
 * </ol>
 * Not modelled: CloudWatch's metric delay and SQS's approximate counts, the worker's idle delay before it drops its
 * protection ({@code WORKER_SCALE_IN_PROTECTION_IDLE}), AZ rebalancing.
 */
public final class Autoscaler {
    private final ScalingPolicy policy;
    private int periodsAbove;
    private int periodsBelow;

    public Autoscaler(ScalingPolicy policy) {
        this.policy = policy;
    }

    public ScalingPolicy policy() {
        return policy;
    }

    public ScalingDecision evaluate(Observation o) {
        int desired = o.desired();
        if (desired < policy.min()) {
            return ScalingDecision.launch(policy.min() - desired, "below min " + policy.min());
        }
        if (desired == 0) {
            periodsAbove = 0;
            periodsBelow = 0;
            if (o.visible() > 0) {
                return ScalingDecision.launch(1, "zero to one: " + o.visible() + " visible, no instance");
            }
            return ScalingDecision.hold("idle at 0");
        }
        if (o.inService() == 0) {
            return ScalingDecision.hold("no data point: no instance in service yet");
        }
        double metric = (double) o.work() / o.inService();
        periodsAbove = metric > policy.target() ? periodsAbove + 1 : 0;
        periodsBelow = metric < policy.scaleInRatio() * policy.target() ? periodsBelow + 1 : 0;
        int proportional = (int) Math.min(Integer.MAX_VALUE, Math.ceil(o.work() / policy.target()));
        String metricText = "work per instance " + Figures.number(metric);
        if (periodsAbove >= policy.scaleOutPeriods()) {
            int want = Math.min(policy.max(), proportional);
            if (want > desired) {
                return ScalingDecision.launch(want - desired, metricText + " > target " + Figures.number(policy.target())
                        + " for " + periodsAbove + " periods: " + desired + " -> " + want
                        + (want == policy.max() && proportional > want ? " (max)" : ""));
            }
            return ScalingDecision.hold(metricText + " above target; " + desired
                    + (desired >= policy.max() ? " is max" : " already on the way"));
        }
        if (periodsBelow >= policy.scaleInPeriods()) {
            int want = Math.max(policy.min(), proportional);
            if (want >= desired) {
                return ScalingDecision.hold(metricText + " below target; at " + desired);
            }
            if (o.booting() > 0 || o.warming() > 0) {
                return ScalingDecision.hold(metricText + " below target; scale-in waits for "
                        + (o.booting() + o.warming()) + " instance(s) booting or warming up");
            }
            if (o.idle() == 0) {
                return ScalingDecision.hold(metricText + " below target; scale-in to " + want + " waits: all "
                        + o.inService() + " instance(s) busy (scale-in protection)");
            }
            int cut = Math.min(desired - want, o.idle());
            String reason = metricText + " < " + Figures.number(policy.scaleInRatio() * policy.target()) + " for "
                    + periodsBelow + " periods: " + desired + " -> " + (desired - cut);
            if (desired - cut > want) {
                reason += " (" + want + " wanted; " + (desired - cut - want) + " more busy, protected)";
            }
            return ScalingDecision.terminate(cut, reason);
        }
        return ScalingDecision.hold(metricText);
    }
}
