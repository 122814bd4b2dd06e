package dev.longshore.local.planner;

import dev.longshore.local.autoscale.Activity;
import dev.longshore.local.autoscale.CommandLine;
import dev.longshore.local.autoscale.Figures;
import dev.longshore.local.autoscale.LoadShape;
import dev.longshore.local.autoscale.ProcessingTime;
import dev.longshore.local.autoscale.RunRecord;
import dev.longshore.local.autoscale.ScalingPolicy;
import dev.longshore.local.autoscale.Timeline;
import dev.longshore.local.autoscale.Workload;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code scripts/plan}: the capacity planner. Simulates a scenario under the stack's scaling policy, prints what it
 * predicts, draws the chart and compares the design options; with {@code --against} it checks itself against a
 * measured local fleet run instead.
 */
public final class PlannerMain {
    static final String USAGE = """
            usage: scripts/plan [options]
              --load SPEC            when jobs arrive: 500@0 (a burst), 300@9h-10h (spread), 2/s@0-24h (rate); comma-separated
              --arrivals FILE        a recorded arrival log instead (CSV at_s[,processing_s[,job_id]]; at_s may be ISO-8601)
              --poisson              spread and rate segments arrive as a Poisson process
              --processing DIST      job processing time: const:60s, uniform:30s-90s, exp:60s, lognormal:60s,30s
              --concurrency N        jobs at once per instance (WORKER_CONCURRENCY)
              --min N --max N        group size
              --target X             work per instance, visible + in flight (default: concurrency x utilization)
              --utilization F        the target as a fraction of concurrency: 1 = every instance full, 0.75 = headroom
              --boot D               launch until the worker takes jobs (60-180s on EC2)
              --warmup D             default instance warmup (the stack's instanceWarmup)
              --period D             how often the policy is evaluated (60s on AWS)
              --scale-out-periods N  periods above the target before a scale-out (3 on AWS)
              --scale-in-periods N   periods below 90% of the target before a scale-in (15 on AWS)
              --notice D             scale-in until the worker stops taking jobs (half the lifecycle poll interval)
              --price USD            instance price per hour
              --horizon D            simulate at least this long (e.g. 24h): cost over a whole day, not just the burst
              --seed N               random seed for processing times and Poisson arrivals
              --chart FILE           where the PNG goes
              --no-options           skip the table of options
              --activity N           scaling actions listed (0 for none)
              --against FILE         check the planner against a local fleet run (scripts/local-fleet's run.json)
            defaults: --load 500@0 --processing const:60s --concurrency 1 --min 0 --max 10 --utilization 1 --boot 120s
                      --warmup 180s --period 60s --scale-out-periods 3 --scale-in-periods 15 --notice 2.5s
                      --price 0.0168 (t4g.small) --seed 1 --chart target/plan/plan.png --activity 12
            """;
    private static final Set<String> VALUED = Set.of("load", "arrivals", "processing", "concurrency", "min", "max",
            "target", "utilization", "boot", "warmup", "period", "scale-out-periods", "scale-in-periods", "notice", "price", "horizon",
            "seed", "chart", "activity", "against", "root");
    /** The target here is a placeholder: the default is concurrency x utilization ({@link ScalingPolicy#targetFor}). */
    static final ScalingPolicy DEFAULT_POLICY = ScalingPolicy.aws(0, 10, 1, ScalingPolicy.DEFAULT_WARMUP);

    private PlannerMain() {
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(exec(args, System.out, System.err));
    }

    /** The command: help, a usage mistake (one line and the synopsis, exit 2), or the plan's exit code. */
    static int exec(String[] args, PrintStream out, PrintStream err) {
        return CommandLine.exec("plan", USAGE, args, out, err, () -> {
            try {
                return run(CommandLine.parse(args, VALUED, Set.of("poisson", "no-options")), out);
            } catch (IOException e) {
                err.println("plan: cannot write the chart: " + e.getMessage());
                return 1;
            }
        });
    }

    static int run(CommandLine c, PrintStream out) throws IOException {
        Path root = c.path("root").orElse(Path.of(".")).toAbsolutePath().normalize();
        if (c.string("against").isPresent()) {
            Path chart = resolve(root, c.string("chart", "target/plan/against.png"));
            return against(root, c.path("against").map(p -> p.isAbsolute() ? p : root.resolve(p)).orElseThrow(), chart, out);
        }
        long seed = c.longValue("seed", 1);
        ProcessingTime processing = c.processing("processing", "const:60s");
        Workload workload;
        String loadText;
        LoadShape shape = null;
        if (c.string("arrivals").isPresent()) {
            Path log = c.path("arrivals").map(p -> p.isAbsolute() ? p : root.resolve(p)).orElseThrow();
            try {
                workload = Workload.readLog(log, processing, seed);
            } catch (IOException e) {
                throw new CommandLine.UsageException("--arrivals " + log + ": cannot read (" + e.getMessage() + ")");
            } catch (IllegalArgumentException e) {
                throw new CommandLine.UsageException("--arrivals " + e.getMessage());
            }
            loadText = "arrival log " + shown(root, log);
        } else {
            loadText = c.string("load", "500@0");
            shape = c.load("load", loadText);
            workload = Workload.generate(shape, c.flag("poisson"), processing, seed, "job-");
        }
        int concurrency = c.integer("concurrency", 1, 1, 10_000);
        if (c.string("target").isPresent() && c.string("utilization").isPresent()) {
            throw new CommandLine.UsageException("--target and --utilization both set the target: give one");
        }
        double utilization = c.number("utilization", ScalingPolicy.DEFAULT_UTILIZATION, 0.01, 100);
        ScalingPolicy policy = c.policy(DEFAULT_POLICY.withTarget(ScalingPolicy.targetFor(concurrency, utilization)));
        InstanceModel model = new InstanceModel(concurrency,
                Figures.seconds(c.duration("boot", Duration.ofSeconds(120))),
                Figures.seconds(c.duration("notice", Figures.ofSeconds(InstanceModel.DEFAULT_NOTICE_SECONDS))),
                c.number("price", InstanceModel.DEFAULT_PRICE, 0, 1000));
        double horizon = Figures.seconds(c.duration("horizon", Duration.ZERO));
        Path chartFile = resolve(root, c.string("chart", "target/plan/plan.png"));
        int activityLines = c.integer("activity", 12, 0, 1_000_000);

        out.printf(Locale.ROOT, "plan: %d jobs (%s), processing %s (mean %s), concurrency %d per instance%n",
                workload.size(), loadText, c.string("arrivals").isPresent() ? "from the log" : processing,
                Figures.format(workload.meanProcessing()), model.concurrency());
        out.printf(Locale.ROOT, "policy: %s%n", policy.describe());
        out.printf(Locale.ROOT, "instances: boot %s, scale-in notice %s, %s/h%n", Figures.format(model.bootSeconds()),
                Figures.format(model.noticeSeconds()), Options.money(model.pricePerHour()));
        long started = System.nanoTime();
        SimulationResult r = new Simulation(workload, policy, model, horizon).run();
        double took = (System.nanoTime() - started) / 1e9;
        out.printf(Locale.ROOT, "simulated %s in %s%n%n", Figures.format(r.end()), Figures.format(took));
        Capacity capacity = shape != null ? Capacity.of(shape, workload, concurrency, policy.target())
                : Capacity.ofLog(workload, concurrency, policy.target());
        printResult(out, r, policy, model);
        out.printf(Locale.ROOT, "  capacity         %s%n", capacity.describe(policy.max()));
        if (activityLines > 0) {
            List<Activity> a = r.activities();
            out.printf(Locale.ROOT, "%nscaling activity (%d action(s)%s)%n", a.size(),
                    a.size() > activityLines ? ", first " + activityLines : "");
            a.stream().limit(activityLines).forEach(x -> out.println("  " + x));
        }
        new Chart("Plan: " + workload.size() + " jobs (" + loadText + "), " + processing + ", concurrency "
                + model.concurrency(), policy.describe() + "; boot " + Figures.format(model.bootSeconds()),
                r.timeline(), null, policy.max(), r.end()).write(chartFile);
        out.printf(Locale.ROOT, "%nchart: %s%n", shown(root, chartFile));
        if (!c.flag("no-options")) {
            out.println();
            Options.MaxAdvice advice = Options.adviseMax(policy, r, capacity);
            Map<String, ScalingPolicy> variants = Options.variants(policy, advice);
            List<Options.Row> rows = new Options(workload, model, horizon).compare(variants);
            Options.print(out, rows);
            takeaways(out, rows, r, policy, model, capacity, advice);
        }
        return 0;
    }

    private static void printResult(PrintStream out, SimulationResult r, ScalingPolicy policy, InstanceModel model) {
        out.printf(Locale.ROOT, "  time to drain    %s%n", r.drained() ? Figures.format(r.timeToDrain())
                + " (first arrival to last job done; " + Figures.format(r.drainAfterLast()) + " after the last arrival)"
                : "not drained: " + r.completed() + " of " + r.jobs() + " done");
        out.printf(Locale.ROOT, "  first job waited %s%n", Figures.format(r.firstJobWait()));
        out.printf(Locale.ROOT, "  latency          %s (arrival to done)%n", r.latency().describe());
        out.printf(Locale.ROOT, "  wait             %s (arrival to start)%n", r.waits().describe());
        out.printf(Locale.ROOT, "  peak instances   %d (max %d), %d launched, %d scaled in (%d of them busy);"
                        + " peak queue depth %d, peak work %d%n", r.peakDesired(), policy.max(), r.launched(), r.scaledIn(),
                r.scaledInBusy(), r.peakQueue(), r.peakWork());
        out.printf(Locale.ROOT, "  instance-hours   %.2f until +%s, cost %s at %s/h%n", r.instanceHours(),
                Figures.format(r.end()), Options.money(r.cost()), Options.money(model.pricePerHour()));
    }

    private static void takeaways(PrintStream out, List<Options.Row> rows, SimulationResult base, ScalingPolicy policy,
                                  InstanceModel model, Capacity capacity, Options.MaxAdvice advice) {
        Options.Row asGiven = rows.get(0);
        Options.Row other = rows.get(1);
        Options.Row zero = asGiven.policy().min() == 0 ? asGiven : other;
        Options.Row one = asGiven.policy().min() == 0 ? other : asGiven;
        out.printf(Locale.ROOT, "%n  Min=0 vs Min=1: the first job waits %s vs %s and the drain takes %s vs %s;"
                        + " an instance kept at min costs %s a day (%s a month).%n",
                Figures.format(zero.result().firstJobWait()), Figures.format(one.result().firstJobWait()),
                Figures.format(zero.result().timeToDrain()), Figures.format(one.result().timeToDrain()),
                Options.money(24 * model.pricePerHour()), Options.money(730 * model.pricePerHour()));
        int n = advice.instances();
        if (capacity.undersized(policy.max())) {
            out.printf(Locale.ROOT, "  max: %d is UNDERSIZED for the steady load: %s jobs in flight need %d instances"
                            + " at concurrency %d, so max %d-%d; the peak backlog %d only shows the queue growing.%n",
                    policy.max(), Figures.number(capacity.jobsInFlight()), capacity.instancesToKeepUp(),
                    capacity.concurrency(), n + 1, n + 2, base.peakQueue());
        } else if (advice.steady()) {
            out.printf(Locale.ROOT, "  max: the steady load settles at %d instances (%s jobs in flight / target %s),"
                            + " so max %d-%d; max %d reached %d%s.%n", n, Figures.number(capacity.jobsInFlight()),
                    Figures.number(policy.target()), n + 1, n + 2, policy.max(), base.peakDesired(),
                    base.peakDesired() > n + 2 ? " (draining the backlog of " + base.peakQueue()
                            + " that piled up before the first instances were in service; a larger max only drains it"
                            + " sooner)" : "");
        } else {
            out.printf(Locale.ROOT, "  max: peak work %d / target %s = %d instances at the target, so max %d-%d;"
                            + " max %d reached %d.%n", base.peakWork(), Figures.number(policy.target()), n, n + 1, n + 2,
                    policy.max(), base.peakDesired());
            if (policy.max() < n) {
                // with the target at the concurrency a burst asks for an instance per slot of work: max is the cost cap
                out.printf(Locale.ROOT, "  max %d caps the burst: its work takes about %d x %s / (%d x %d) = %s to run"
                                + " at max, plus the boot; choose max from the drain time you accept.%n", policy.max(),
                        base.peakWork(), Figures.format(capacity.meanProcessing()), policy.max(), model.concurrency(),
                        Figures.format(base.peakWork() * capacity.meanProcessing() / ((double) policy.max()
                                * model.concurrency())));
            }
        }
    }

    private static int against(Path root, Path file, Path chartFile, PrintStream out) throws IOException {
        RunRecord run;
        try {
            run = RunRecord.read(file);
        } catch (IOException e) {
            throw new CommandLine.UsageException("--against " + e.getMessage());
        }
        SimulationResult predicted = FleetComparison.simulate(run);
        FleetComparison comparison = new FleetComparison(run, predicted);
        comparison.print(out);
        Timeline measured = new Timeline(0.25);
        for (Timeline.Point p : run.timeline()) {
            measured.record(p.t(), p.visible(), p.inFlight(), p.booting(), p.inService(), p.draining());
        }
        double end = Math.max(predicted.end(), run.measured().settledAt()) * 1.04;
        new Chart("Planner (solid) vs local fleet (dashed): " + run.jobs().size() + " jobs (" + run.load() + "), "
                + run.processing() + ", concurrency " + run.concurrency(), run.policy().toPolicy().describe()
                + "; boot " + Figures.format(run.measuredBootSeconds()) + " (measured)", predicted.timeline(),
                measured, run.policy().max(), end).write(chartFile);
        out.printf(Locale.ROOT, "chart: %s%n", shown(root, chartFile));
        boolean ok = comparison.withinTolerance();
        out.println(ok ? "planner vs local fleet: within tolerance" : "planner vs local fleet: OUTSIDE tolerance");
        return ok ? 0 : 1;
    }

    /** A path as the user would type it from the repository root. */
    static String shown(Path root, Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(root) ? root.relativize(abs).toString() : abs.toString();
    }

    private static Path resolve(Path root, String path) {
        Path p = Path.of(path);
        return p.isAbsolute() ? p : root.resolve(p);
    }
}
