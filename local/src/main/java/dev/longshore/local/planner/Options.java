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
 * README suggests ({@code ceil(peak backlog / target) + 1} and {@code + 2}, with the peak backlog the scenario
 * predicts) next to a doubled max. Every option is simulated until it settles; cost and instance-hours are then
 * counted over one common window, so an option that keeps an instance at min pays for it while the others are idle.
 */
public final class Options {
    /** One option and what it gives. */
    public record Row(String label, ScalingPolicy policy, SimulationResult result, double instanceHours, double cost) {
    }

    private final Workload workload;
    private final InstanceModel model;
    private final double horizon;

    public Options(Workload workload, InstanceModel model, double horizon) {
        this.workload = workload;
        this.model = model;
        this.horizon = horizon;
    }

    /** The options compared with {@code base}; {@code peakBacklog} is the base scenario's peak queue depth. */
    public static Map<String, ScalingPolicy> variants(ScalingPolicy base, int peakBacklog) {
        Map<String, ScalingPolicy> out = new LinkedHashMap<>();
        out.put("as given", base);
        out.put(base.min() == 0 ? "Min=1" : "Min=0", base.withMin(base.min() == 0 ? 1 : 0));
        for (double t : new double[] {base.target() / 4, base.target() / 2, base.target() * 2}) {
            double rounded = Math.max(1, Math.round(t));
            if (rounded != base.target()) {
                out.putIfAbsent("target " + Figures.number(rounded), base.withTarget(rounded));
            }
        }
        int suggested = (int) Math.ceil(peakBacklog / base.target());
        for (int extra = 1; extra <= 2; extra++) {
            int max = Math.max(base.min(), Math.max(1, suggested + extra));
            out.putIfAbsent("max " + max + " = ceil(" + peakBacklog + "/" + Figures.number(base.target()) + ")+" + extra,
                    base.withMax(max));
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
                    row.policy().min(), row.policy().max(), Figures.number(row.policy().target()),
                    r.drained() ? Figures.format(r.timeToDrain()) : "not done", Figures.format(r.firstJobWait()),
                    Figures.format(r.latency().at(50)), Figures.format(r.latency().at(99)), r.peakDesired(),
                    row.instanceHours(), money(row.cost()));
        }
    }

    static String money(double usd) {
        if (usd < 0.1) {
            return String.format(Locale.ROOT, "$%.4f", usd);
        }
        return usd < 10 ? String.format(Locale.ROOT, "$%.3f", usd) : String.format(Locale.ROOT, "$%.2f", usd);
    }
}
