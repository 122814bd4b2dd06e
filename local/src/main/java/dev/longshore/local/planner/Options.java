package dev.longshore.local.planner;

import dev.longshore.local.autoscale.Figures;
import dev.longshore.local.autoscale.ScalingPolicy;
import dev.longshore.local.autoscale.Workload;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The design questions as a table: the scenario as given, then Min=0 against Min=1, other targets, and the max the
 * policy asks for ({@link #adviseMax}: the steady load's instances or {@code ceil(peak work / target)}, + 1 and + 2)
 * next to a doubled max. Every option is simulated until it settles; cost and instance-hours are then
 * counted over one common window, so an option that keeps an instance at min pays for it while the others are idle.
 * The scenario is the workload on the instance model, simulated for at least {@code horizon} seconds.
 */
public record Options(Workload workload, InstanceModel model, double horizon) {
    /** One option and what it gives. */
    public record Row(String label, ScalingPolicy policy, SimulationResult result, double instanceHours, double cost) {
    }

    /** A max to suggest and what it rests on, e.g. {@code 45} from {@code ceil(180/4)}. */
    public record MaxAdvice(int instances, String basis, boolean steady) {
    }

    /**
     * The max the policy asks for: the larger of the steady load's instances at the target ({@link Capacity}) and
     * {@code ceil(peak work / target)}, the most the proportional rule wanted during the scenario. When max is too
     * small for the steady load, the peak work is a symptom of that (the queue grew without bound), so only the
     * steady-state figure counts; so it does for a load without bursts, whose peak work is only the backlog that
     * piled up while the first instances booted.
     */
    public static MaxAdvice adviseMax(ScalingPolicy policy, SimulationResult base, Capacity capacity) {
        int steady = Math.max(capacity.instancesToKeepUp(), capacity.instancesAtTarget());
        String steadyBasis = "steady " + Figures.number(capacity.jobsInFlight()) + "/" + Figures.number(
                Math.min(policy.target(), capacity.concurrency()));
        if (capacity.undersized(policy.max()) || (capacity.checks() && !capacity.bursts())) {
            return new MaxAdvice(steady, steadyBasis, true);
        }
        int peak = (int) Math.ceil(base.peakWork() / policy.target());
        if (capacity.checks() && steady >= peak) {
            return new MaxAdvice(steady, steadyBasis, true);
        }
        return new MaxAdvice(peak, "ceil(" + base.peakWork() + "/" + Figures.number(policy.target()) + ")", false);
    }

    /** The options compared with {@code base}: Min, the target at other utilizations, the max advised and twice max. */
    public static Map<String, ScalingPolicy> variants(ScalingPolicy base, MaxAdvice advice) {
        Map<String, ScalingPolicy> out = new LinkedHashMap<>();
        out.put("as given", base);
        out.put(base.min() == 0 ? "Min=1" : "Min=0", base.withMin(base.min() == 0 ? 1 : 0));
        for (double factor : new double[] {0.5, 0.75, 2}) {
            double t = Math.round(base.target() * factor * 100) / 100.0;
            if (t > 0 && t != base.target()) {
                out.putIfAbsent("target " + plain(t) + " (x" + plain(factor) + ")", base.withTarget(t));
            }
        }
        for (int extra = 1; extra <= 2; extra++) {
            int max = Math.max(base.min(), Math.max(1, advice.instances() + extra));
            out.putIfAbsent("max " + max + " = " + advice.basis() + "+" + extra, base.withMax(max));
        }
        out.putIfAbsent("max " + base.max() * 2 + " (x2)", base.withMax(base.max() * 2));
        return out;
    }

    public List<Row> compare(Map<String, ScalingPolicy> variants) {
        List<SimulationResult> results = new ArrayList<>();
        List<String> labels = new ArrayList<>(variants.keySet());
        List<ScalingPolicy> policies = new ArrayList<>(variants.values());
        double window = horizon;
        for (ScalingPolicy p : policies) {
            SimulationResult r = new Simulation(workload, p, model, horizon).run();
            results.add(r);
            window = Math.max(window, r.end());
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            SimulationResult r = results.get(i);
            // after it settled, an option keeps its min instances until the common window ends
            double idle = Math.max(0, window - r.end()) * policies.get(i).min();
            double seconds = r.instanceSeconds() + idle;
            rows.add(new Row(labels.get(i), policies.get(i), r, seconds / 3600,
                    r.cost() + idle * model.pricePerHour() / 3600));
        }
        return rows;
    }

    public static void print(PrintStream out, List<Row> rows) {
        double window = rows.stream().mapToDouble(r -> r.result().end()).max().orElse(0);
        out.printf(Locale.ROOT, "options (each simulated until it settled; instance-hours and cost over the same %s"
                + " window)%n", Figures.format(window));
        out.printf(Locale.ROOT, "  %-28s %4s %4s %6s  %9s  %10s  %9s  %9s  %4s  %7s  %8s%n", "option", "min", "max",
                "target", "drain", "first wait", "p50", "p99", "peak", "inst-h", "cost");
        for (Row row : rows) {
            SimulationResult r = row.result();
            out.printf(Locale.ROOT, "  %-28s %4d %4d %6s  %9s  %10s  %9s  %9s  %4d  %7.2f  %8s%n", row.label(),
                    row.policy().min(), row.policy().max(), plain(row.policy().target()),
                    r.drained() ? Figures.format(r.timeToDrain()) : "not done", Figures.format(r.firstJobWait()),
                    Figures.format(r.latency().at(50)), Figures.format(r.latency().at(99)), r.peakDesired(),
                    row.instanceHours(), money(row.cost()));
        }
    }

    /** Up to two decimals, no trailing zeros: 0.75, 2, 1.5. */
    static String plain(double value) {
        return java.math.BigDecimal.valueOf(Math.round(value * 100) / 100.0).stripTrailingZeros().toPlainString();
    }

    static String money(double usd) {
        if (usd < 0.1) {
            return String.format(Locale.ROOT, "$%.4f", usd);
        }
        return usd < 10 ? String.format(Locale.ROOT, "$%.3f", usd) : String.format(Locale.ROOT, "$%.2f", usd);
    }
}
