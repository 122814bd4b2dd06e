package dev.longshore.local.planner;

import dev.longshore.local.autoscale.Figures;
import dev.longshore.local.autoscale.RunRecord;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The planner checked against a measured local fleet run: the same jobs as they were sent, the same policy and
 * concurrency, and the boot and scale-in times the fleet measured (each launched instance boots as long as the
 * fleet's instance launched in that place did: the check is about the policy and queue model, not about guessing
 * how long a JVM takes to start on a busy machine). The time to drain must be within
 * {@link #DRAIN_TOLERANCE} and the peak instance count within {@link #PEAK_TOLERANCE}; latencies, the first job's wait
 * and instance time are shown for information.
 */
public final class FleetComparison {
    /**
     * 15%: the fleet's boot varies by instance (JVMs starting together share two cores), the planner uses the mean,
     * and SQS receives add tens of milliseconds per job; what the planner is for (sizing max, choosing Min) needs
     * no finer answer.
     */
    static final double DRAIN_TOLERANCE = 0.15;
    /** One instance: a scale-out decided a period apart in the two runs can land one step differently. */
    static final int PEAK_TOLERANCE = 1;

    private final RunRecord run;
    private final SimulationResult predicted;

    public FleetComparison(RunRecord run, SimulationResult predicted) {
        this.run = run;
        this.predicted = predicted;
    }

    /** The planner inputs a run record implies. */
    public static InstanceModel model(RunRecord run) {
        double notice = Double.isNaN(run.measuredNoticeSeconds()) ? 0 : run.measuredNoticeSeconds();
        return new InstanceModel(run.concurrency(), run.measuredBootSeconds(), notice, InstanceModel.DEFAULT_PRICE);
    }

    /** The run replayed: its jobs as sent, its policy, and each instance booting as long as the fleet's did. */
    public static SimulationResult simulate(RunRecord run) {
        return new Simulation(run.workload(), run.policy().toPolicy(), model(run), 0, run.firstEvaluationSeconds())
                .withBootSequence(run.measuredBoots().stream().mapToDouble(Double::doubleValue).toArray()).run();
    }

    /** The same with one boot time for every instance (the measured mean), as a planner user would give it. */
    public static SimulationResult simulateWithMeanBoot(RunRecord run) {
        return new Simulation(run.workload(), run.policy().toPolicy(), model(run), 0, run.firstEvaluationSeconds()).run();
    }

    public double drainDifference() {
        return (predicted.timeToDrain() - run.measured().timeToDrain()) / run.measured().timeToDrain();
    }

    public int peakDifference() {
        return predicted.peakDesired() - run.measured().peakDesired();
    }

    public boolean withinTolerance() {
        return !Double.isNaN(predicted.timeToDrain()) && !Double.isNaN(run.measured().timeToDrain())
                && Math.abs(drainDifference()) <= DRAIN_TOLERANCE && Math.abs(peakDifference()) <= PEAK_TOLERANCE;
    }

    public void print(PrintStream out) {
        RunRecord.Measured m = run.measured();
        out.printf(Locale.ROOT, "planner vs local fleet: %d jobs as sent (%s, %s), concurrency %d, policy as run;%n",
                run.jobs().size(), run.load(), run.processing(), run.concurrency());
        out.printf(Locale.ROOT, "  boots as the fleet measured them (launch to READY, in launch order: %s),%n  scale-in notice %s (scale-in until the worker stopped taking jobs)%n",
                boots(), Figures.format(run.measuredNoticeSeconds()));
        out.printf(Locale.ROOT, "  %-18s %10s %10s %11s %10s%n", "", "measured", "planner", "difference", "tolerance");
        out.printf(Locale.ROOT, "  %-18s %10s %10s %10.1f%% %9s  %s%n", "time to drain", Figures.format(m.timeToDrain()),
                Figures.format(predicted.timeToDrain()), drainDifference() * 100,
                "±" + Math.round(DRAIN_TOLERANCE * 100) + "%", Math.abs(drainDifference()) <= DRAIN_TOLERANCE ? "ok" : "OUT");
        out.printf(Locale.ROOT, "  %-18s %10d %10d %11d %10s  %s%n", "peak instances", m.peakDesired(),
                predicted.peakDesired(), peakDifference(), "±" + PEAK_TOLERANCE,
                Math.abs(peakDifference()) <= PEAK_TOLERANCE ? "ok" : "OUT");
        info(out, "first job wait", m.firstJobWait(), predicted.firstJobWait());
        info(out, "latency p50", m.latencyP50(), predicted.latency().at(50));
        info(out, "latency p90", m.latencyP90(), predicted.latency().at(90));
        info(out, "latency p99", m.latencyP99(), predicted.latency().at(99));
        info(out, "latency max", m.latencyMax(), predicted.latency().max());
        info(out, "instance time", m.instanceSeconds(), predicted.instanceSeconds());
        info(out, "settled at", m.settledAt(), predicted.end());
        SimulationResult mean = simulateWithMeanBoot(run);
        out.printf(Locale.ROOT, "  with one boot time for all instances (the mean, %s): time to drain %s, peak %d%n",
                Figures.format(run.measuredBootSeconds()), Figures.format(mean.timeToDrain()), mean.peakDesired());
    }

    private String boots() {
        List<String> b = run.measuredBoots().stream().map(Figures::format).toList();
        return b.isEmpty() ? "none launched" : String.join(" ", b);
    }

    private static void info(PrintStream out, String name, double measured, double planned) {
        String diff = measured > 0 ? String.format(Locale.ROOT, "%10.1f%%", (planned - measured) / measured * 100) : "";
        out.printf(Locale.ROOT, "  %-18s %10s %10s %11s %10s%n", name, Figures.format(measured),
                Figures.format(planned), diff, "(info)");
    }
}
