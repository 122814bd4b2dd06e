package dev.longshore.local.autoscale;

import java.time.Duration;

/**
 * The scaling policy of the deployed stack, with every number the model needs spelled out: target tracking on
 * work per instance ((visible + in-flight messages) / InService instances), a group size between {@code min} and
 * {@code max},
 * the zero-to-one step, and the alarm shape target tracking creates on EC2 Auto Scaling (scale out after
 * {@code scaleOutPeriods} periods above the target, scale in after {@code scaleInPeriods} periods below
 * {@code scaleInRatio} x target, never while an instance boots or warms up). {@link Autoscaler} applies it; the
 * local fleet and the planner both use that one class.
 *
 * @param min             group minimum
 * @param max             group maximum
 * @param target          work per instance (messages waiting or running) the policy aims for; by default the
 *                        worker's concurrency, every instance full ({@link #targetFor})
 * @param period          how often the metric is evaluated (CloudWatch's period: 60 s on AWS)
 * @param scaleOutPeriods consecutive periods above the target before a scale-out (AWS: 3)
 * @param scaleInPeriods  consecutive periods below {@code scaleInRatio x target} before a scale-in (AWS: 15)
 * @param scaleInRatio    the low alarm's threshold as a fraction of the target (AWS: 0.9)
 * @param warmup          default instance warmup: how long after it is in service an instance still blocks
 *                        scale-in (AWS default in our stack: 180 s)
 */
public record ScalingPolicy(int min, int max, double target, Duration period, int scaleOutPeriods,
                            int scaleInPeriods, double scaleInRatio, Duration warmup) {
    /** The alarms target tracking creates on EC2 Auto Scaling: 3 of 3 minutes high, 15 of 15 minutes low at 90%. */
    public static final Duration AWS_PERIOD = Duration.ofSeconds(60);
    public static final int AWS_SCALE_OUT_PERIODS = 3;
    public static final int AWS_SCALE_IN_PERIODS = 15;
    public static final double AWS_SCALE_IN_RATIO = 0.9;
    /**
     * The default utilization: the target is the concurrency, so the fleet settles where every instance runs as many
     * jobs as it can. Below 1 leaves headroom (less waiting, more instances); above 1 lets work wait on each instance.
     */
    public static final double DEFAULT_UTILIZATION = 1.0;
    /** The stack's {@code instanceWarmup} default. */
    public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(180);

    public ScalingPolicy {
        if (min < 0) {
            throw new IllegalArgumentException("min must be 0 or more, was " + min);
        }
        if (max < 1 || max < min) {
            throw new IllegalArgumentException("max must be at least 1 and at least min (" + min + "), was " + max);
        }
        if (!(target > 0) || Double.isInfinite(target)) {
            throw new IllegalArgumentException("target must be a positive number of messages per instance, was " + target);
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive, was " + period);
        }
        if (scaleOutPeriods < 1 || scaleInPeriods < 1) {
            throw new IllegalArgumentException("scale-out and scale-in periods must be 1 or more, were "
                    + scaleOutPeriods + " and " + scaleInPeriods);
        }
        if (!(scaleInRatio > 0) || scaleInRatio > 1) {
            throw new IllegalArgumentException("scale-in ratio must be in (0, 1], was " + scaleInRatio);
        }
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("warmup must not be negative, was " + warmup);
        }
    }

    /**
     * The target derived from the worker: {@code concurrency x utilization} messages per instance. Under a steady
     * load the metric then stays at the target whatever the queue's visible count does, so the group holds its size
     * (docs/local-fleet-and-planner.md, "The scaling rule").
     */
    public static double targetFor(int concurrency, double utilization) {
        if (concurrency < 1 || !(utilization > 0) || Double.isInfinite(utilization)) {
            throw new IllegalArgumentException("concurrency must be 1 or more and utilization positive, were "
                    + concurrency + " and " + utilization);
        }
        return concurrency * utilization;
    }

    /** The AWS alarm shape with the given group size, target and warmup. */
    public static ScalingPolicy aws(int min, int max, double target, Duration warmup) {
        return new ScalingPolicy(min, max, target, AWS_PERIOD, AWS_SCALE_OUT_PERIODS, AWS_SCALE_IN_PERIODS,
                AWS_SCALE_IN_RATIO, warmup);
    }

    public ScalingPolicy withMin(int newMin) {
        return new ScalingPolicy(newMin, Math.max(max, newMin), target, period, scaleOutPeriods, scaleInPeriods,
                scaleInRatio, warmup);
    }

    public ScalingPolicy withMax(int newMax) {
        return new ScalingPolicy(Math.min(min, newMax), newMax, target, period, scaleOutPeriods, scaleInPeriods,
                scaleInRatio, warmup);
    }

    public ScalingPolicy withTarget(double newTarget) {
        return new ScalingPolicy(min, max, newTarget, period, scaleOutPeriods, scaleInPeriods, scaleInRatio, warmup);
    }

    /** One line for logs and reports. */
    public String describe() {
        return String.format("min %d, max %d, target %s per instance (visible + in flight), evaluated every %s (out after %d above, in after"
                        + " %d below %d%%), warmup %s", min, max, Figures.number(target), Figures.format(period),
                scaleOutPeriods, scaleInPeriods, Math.round(scaleInRatio * 100), Figures.format(warmup));
    }
}
