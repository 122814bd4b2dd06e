package dev.longshore.local.planner;

import dev.longshore.local.autoscale.Figures;
import dev.longshore.local.autoscale.LoadShape;
import dev.longshore.local.autoscale.Workload;
import java.util.Locale;

/**
 * The steady-state check: a load of {@code rate} jobs per second that each take {@code meanProcessing} seconds keeps
 * {@code rate x meanProcessing} jobs in flight (Little's law), so the fleet needs {@code that / concurrency}
 * instances just to keep up, and the policy settles at {@code that / target}. A max below the first can never drain
 * the queue, whatever the target; the backlog then grows without bound and says nothing about the max to choose.
 *
 * @param rate           peak steady arrival rate, jobs per second (0: bursts only, nothing to check)
 * @param rateSource     where the rate comes from, in words
 * @param meanProcessing mean job time, seconds
 * @param concurrency    jobs at once per instance
 * @param target         the policy's work per instance
 * @param bursts         the load has bursts (or may have: an arrival log), so a backlog, not only the rate, sizes max
 */
public record Capacity(double rate, String rateSource, double meanProcessing, int concurrency, double target,
                       boolean bursts) {
    /** The sliding window an arrival log's steady rate is measured over. */
    static final double LOG_WINDOW_SECONDS = 3600;

    /** From the {@code --load} segments: their peak steady rate. */
    public static Capacity of(LoadShape shape, Workload workload, int concurrency, double target) {
        return new Capacity(shape.peakSteadyRate(), "the load's rate segments", workload.meanProcessing(), concurrency,
                target, shape.hasBursts());
    }

    /**
     * From an arrival log: the most arrivals in any hour, per second; a log shorter than an hour gives no steady rate
     * (it is a burst as far as the check goes).
     */
    public static Capacity ofLog(Workload workload, int concurrency, double target) {
        double rate = 0;
        if (workload.size() > 1 && workload.lastArrival() - workload.jobs().get(0).at() >= LOG_WINDOW_SECONDS) {
            int from = 0;
            for (int to = 0; to < workload.size(); to++) {
                while (workload.jobs().get(to).at() - workload.jobs().get(from).at() >= LOG_WINDOW_SECONDS) {
                    from++;
                }
                rate = Math.max(rate, (to - from + 1) / LOG_WINDOW_SECONDS);
            }
        }
        return new Capacity(rate, "the busiest hour of the log", workload.meanProcessing(), concurrency, target, true);
    }

    /** Jobs in flight in steady state. */
    public double jobsInFlight() {
        return rate * meanProcessing;
    }

    /** Instances that just keep up: every slot busy. */
    public int instancesToKeepUp() {
        return (int) Math.ceil(jobsInFlight() / concurrency - 1e-9);
    }

    /** Instances the policy settles at for this load. */
    public int instancesAtTarget() {
        return (int) Math.ceil(jobsInFlight() / target - 1e-9);
    }

    public boolean checks() {
        return rate > 0;
    }

    /** The queue grows without bound: max instances run fewer jobs per second than arrive. */
    public boolean undersized(int max) {
        return checks() && (double) max * concurrency < jobsInFlight() - 1e-9;
    }

    /** Jobs per second the queue grows by at {@code max} instances (0 when it keeps up). */
    public double growthPerSecond(int max) {
        return Math.max(0, rate - (double) max * concurrency / meanProcessing);
    }

    /** One line for the plan's summary. */
    public String describe(int max) {
        if (!checks()) {
            return "no steady rate in the load (bursts only): max is set by the backlog (below)";
        }
        String load = String.format(Locale.ROOT, "%s/s x %s = %s jobs in flight (%s): %s instances at concurrency %d",
                Figures.number(rate), Figures.format(meanProcessing), Figures.number(jobsInFlight()), rateSource,
                Figures.number(jobsInFlight() / concurrency), concurrency);
        if (undersized(max)) {
            double grow = growthPerSecond(max);
            return String.format(Locale.ROOT, "%s; max %d is UNDERSIZED: it runs %d at once, the queue grows by %s"
                            + " jobs/s (%s an hour) and never drains; max must be at least %d", load, max,
                    max * concurrency, Figures.number(grow), Figures.number(Math.round(grow * 3600)), instancesToKeepUp());
        }
        if (max < instancesAtTarget()) {
            return String.format(Locale.ROOT, "%s; max %d keeps up, but below the %d the target %s settles at:"
                            + " no headroom for a burst", load, max, instancesAtTarget(), Figures.number(target));
        }
        return String.format(Locale.ROOT, "%s; the target %s settles at %d, max %d holds it", load,
                Figures.number(target), instancesAtTarget(), max);
    }
}
