package dev.longshore.local.autoscale;

import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.QueuePair;
import dev.longshore.testkit.Queues;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code scripts/local-fleet}: a local Auto Scaling group of worker-messaging processes under the stack's scaling
 * policy, fed by a burst generator, shown live, summed up at the end, and recorded for {@code scripts/plan --against}.
 * The only place where the fleet's parts are wired together.
 */
public final class LocalFleetMain {
    static final String USAGE = """
            usage: scripts/local-fleet [options]
              --load SPEC            when jobs arrive: 120@0 (a burst), 300@0-60s (spread), 2/s@0-5m (rate); comma-separated
              --arrivals FILE        replay an arrival log instead (CSV at_s[,processing_s[,job_id]])
              --poisson              spread and rate segments arrive as a Poisson process
              --processing DIST      job processing time: const:3s, uniform:2s-4s, exp:3s, lognormal:3s,1s
              --concurrency N        jobs at once per worker (WORKER_CONCURRENCY)
              --min N --max N        group size
              --target X             work per instance (visible + in flight) the policy aims for; default: concurrency
              --boot D               boot delay before an instance's worker starts (stands in for EC2 start-up)
              --warmup D             default instance warmup: no scale-in while an instance is younger in service
              --period D             how often the policy is evaluated (60s on AWS)
              --scale-out-periods N  periods above the target before a scale-out (3 on AWS)
              --scale-in-periods N   periods below 90% of the target before a scale-in (15 on AWS)
              --seed N               random seed for processing times (and Poisson arrivals)
              --view live|lines      redraw one screen, or print a line per change
              --out DIR              where the run record, arrival log and worker logs go
              --timeout D            give up (and fail) after this long
            defaults: --load 120@0 --processing uniform:2s-4s --concurrency 4 --min 0 --max 5 --target = concurrency
                      --boot 3s --warmup 5s --period 1s --scale-out-periods 3 --scale-in-periods 15 --seed 1
                      --view lines --out target/local-fleet --timeout 5m
            """;
    /** The target here is a placeholder: the default is the concurrency ({@link ScalingPolicy#targetFor}). */
    static final ScalingPolicy DEFAULT_POLICY = new ScalingPolicy(0, 5, 4, Duration.ofSeconds(1), 3, 15,
            ScalingPolicy.AWS_SCALE_IN_RATIO, Duration.ofSeconds(5));
    private static final Set<String> VALUED = Set.of("load", "arrivals", "processing", "concurrency", "min", "max",
            "target", "boot", "warmup", "period", "scale-out-periods", "scale-in-periods", "seed", "view", "out",
            "timeout", "root");
    private static final long STEP_MILLIS = 100;
    private static final long VIEW_MILLIS = 500;
    /** Enough for a worker to see Terminated, finish a few-second job and complete the hook, many times over. */
    private static final Duration TEARDOWN_LIMIT = Duration.ofSeconds(90);

    private LocalFleetMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        System.exit(exec(args, System.out, System.err));
    }

    /** The command: help, a usage mistake (one line and the synopsis, exit 2), or the run's exit code. */
    static int exec(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        return CommandLine.exec("local-fleet", USAGE, args, out, err, () -> {
            Settings settings = Settings.parse(CommandLine.parse(args, VALUED, Set.of("poisson")));
            try {
                return run(settings, out);
            } catch (IOException e) {
                err.println("local-fleet: cannot write the run's files under " + settings.out() + ": " + e.getMessage());
                return 1;
            }
        });
    }

    /** The parsed command line. */
    record Settings(Path root, Workload workload, String load, String processing, long seed, int concurrency,
                    ScalingPolicy policy, double bootDelay, FleetView.Mode view, Path out, Duration timeout) {
        static Settings parse(CommandLine c) {
            Path root = c.path("root").orElse(Path.of(".")).toAbsolutePath().normalize();
            long seed = c.longValue("seed", 1);
            ProcessingTime processing = c.processing("processing", "uniform:2s-4s");
            String load = c.string("load", "120@0");
            Workload workload;
            String prefix = "job-" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36) + "-";
            if (c.string("arrivals").isPresent()) {
                Path log = c.path("arrivals").orElseThrow();
                try {
                    workload = Workload.readLog(log, processing, seed);
                } catch (IOException e) {
                    throw new CommandLine.UsageException("--arrivals " + log + ": " + e.getMessage());
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.UsageException("--arrivals " + e.getMessage());
                }
                workload = new Workload(workload.jobs().stream()
                        .map(j -> new Workload.Job(prefix + j.id().replaceAll("[^A-Za-z0-9._-]", "_"), j.at(), j.processing()))
                        .toList());
                load = "arrival log " + log;
            } else {
                workload = Workload.generate(c.load("load", load), c.flag("poisson"), processing, seed, prefix);
            }
            String view = c.string("view", "lines");
            FleetView.Mode mode = switch (view) {
                case "live" -> FleetView.Mode.LIVE;
                case "lines" -> FleetView.Mode.LINES;
                default -> throw new CommandLine.UsageException("--view \"" + view + "\": expected live or lines");
            };
            Path out = c.path("out").map(p -> p.isAbsolute() ? p : root.resolve(p)).orElse(root.resolve("target/local-fleet"));
            int concurrency = c.integer("concurrency", 4, 1, 256);
            ScalingPolicy defaults = DEFAULT_POLICY.withTarget(
                    ScalingPolicy.targetFor(concurrency, ScalingPolicy.DEFAULT_UTILIZATION));
            return new Settings(root, workload, load, processing.toString(), seed, concurrency, c.policy(defaults),
                    Figures.seconds(c.duration("boot", Duration.ofSeconds(3))), mode, out,
                    c.duration("timeout", Duration.ofMinutes(5)));
        }
    }

    static int run(Settings s, PrintStream out) throws IOException, InterruptedException {
        Path jar = s.root().resolve("worker-messaging/target/worker-messaging.jar");
        if (!Files.isRegularFile(jar)) {
            System.err.println("local-fleet: " + jar + " is not built (run scripts/mvn -B -q -DskipTests package)");
            return 1;
        }
        Files.createDirectories(s.out().resolve("logs"));
        s.workload().writeLog(s.out().resolve("arrivals.csv"));
        out.printf("local fleet: %d jobs (%s), processing %s, worker-messaging with concurrency %d%n",
                s.workload().size(), s.load(), s.processing(), s.concurrency());
        out.printf("policy: %s; boot delay %s%n", s.policy().describe(), Figures.format(s.bootDelay()));

        FleetClock clock = FleetClock.system();
        WorkerLogTally tally = new WorkerLogTally();
        try (EmbeddedSqs sqs = EmbeddedSqs.start(); JobSink sink = JobSink.start(clock)) {
            QueuePair queues = Queues.createWithDeadLetter(sqs.client(), "longshore-fleet", 5, Duration.ofSeconds(30));
            QueueGauge gauge = new QueueGauge(sqs.client(), queues);
            Map<String, String> env = workerEnvironment(sqs, queues, s);
            FleetController controller = new FleetController(s.policy(), s.bootDelay(),
                    id -> WorkerInstance.start(id, jar, env, s.out().resolve("logs"), tally, clock), gauge::work, clock,
                    a -> {
                        if (s.view() == FleetView.Mode.LINES) {
                            out.println("scaling  " + a);
                        }
                    });
            AtomicBoolean running = new AtomicBoolean(true);
            Thread control = Thread.ofPlatform().name("local-fleet-control").start(() -> {
                while (running.get()) {
                    controller.step();
                    sleep(STEP_MILLIS);
                }
            });
            Thread cleanup = new Thread(() -> controller.killRemaining("the run was interrupted"), "local-fleet-interrupted");
            Runtime.getRuntime().addShutdownHook(cleanup);
            try {
                return runLoad(s, out, clock, sqs, queues, gauge, sink, tally, controller);
            } finally {
                running.set(false);
                control.join(5000);
                controller.killRemaining("still running when the run ended");
                Runtime.getRuntime().removeShutdownHook(cleanup);
            }
        }
    }

    private static int runLoad(Settings s, PrintStream out, FleetClock clock, EmbeddedSqs sqs, QueuePair queues,
                               QueueGauge gauge, JobSink sink, WorkerLogTally tally, FleetController controller)
            throws IOException, InterruptedException {
        if (s.policy().min() > 0) {
            out.printf("bringing the group to min (%d instance(s)) before the load starts%n", s.policy().min());
            controller.launchMin();
            double deadline = clock.seconds() + 60 + s.bootDelay();
            while (!controller.settledAtMin()) {
                if (clock.seconds() > deadline || controller.snapshot().instances().stream()
                        .anyMatch(i -> i.state() == InstanceState.FAILED)) {
                    out.println("local fleet: FAILED: the instances at min did not come into service");
                    controller.snapshot().instances().forEach(i -> out.println("  " + i.id() + " " + i.state()
                            + (i.problem() == null ? "" : ": " + i.problem())));
                    return 1;
                }
                sleep(STEP_MILLIS);
            }
        }
        FleetView view = new FleetView(s.view(), out, String.format("longshore local fleet: %d jobs (%s), %s, concurrency"
                + " %d; target %s, min %d, max %d, boot %s, warmup %s", s.workload().size(), s.load(), s.processing(),
                s.concurrency(),
                Figures.number(s.policy().target()), s.policy().min(), s.policy().max(), Figures.format(s.bootDelay()),
                Figures.format(s.policy().warmup())));
        Timeline timeline = new Timeline(0.25);
        BurstGenerator burst = new BurstGenerator(sqs.client(), queues.queueUrl(), sink, s.workload(), clock);
        double loadStart = burst.begin();
        // Evaluations are timed from when the first jobs are in the queue, as the planner times them from the first
        // arrival; the offset goes into the run record.
        double firstEvaluation = clock.seconds();
        controller.startEvaluating(loadStart, firstEvaluation);
        burst.start();
        FleetSnapshot atStart = controller.snapshot();
        QueueGauge.Depth depthAtStart = gauge.depth();
        timeline.record(0, depthAtStart.visible(), depthAtStart.inFlight(), atStart.booting(), atStart.inService(),
                atStart.draining());
        double settledAt = Double.NaN;
        FleetView.Frame frame;
        Set<String> ids = new HashSet<>(s.workload().jobs().stream().map(Workload.Job::id).toList());
        try {
            while (true) {
                frame = frame(controller, gauge, sink, burst, s.workload().size(), ids);
                FleetSnapshot g = frame.group();
                view.show(frame);
                timeline.record(Math.max(0, g.t()), frame.queue().visible(), frame.queue().inFlight(), g.booting(),
                        g.inService(), g.draining());
                if (burst.failure() != null) {
                    out.println("local fleet: sending failed: " + burst.failure().getMessage());
                    break;
                }
                boolean allDone = burst.allSent() && frame.done() == s.workload().size();
                if (allDone && g.desired() == s.policy().min() && g.booting() == 0 && g.draining() == 0) {
                    settledAt = g.t();
                    break;
                }
                if (g.t() > Figures.seconds(s.timeout())) {
                    out.println("local fleet: timed out after " + Figures.format(s.timeout()) + " (--timeout)");
                    break;
                }
                sleep(VIEW_MILLIS);
            }
            // The end of the experiment: the instances left at min are scaled in the same way, never killed.
            controller.retireAll();
            double deadline = clock.seconds() + Figures.seconds(TEARDOWN_LIMIT);
            while (!controller.allEnded() && clock.seconds() < deadline) {
                view.show(frame(controller, gauge, sink, burst, s.workload().size(), ids));
                sleep(VIEW_MILLIS);
            }
            if (!controller.allEnded()) {
                controller.killRemaining("did not end within " + Figures.format(TEARDOWN_LIMIT) + " of being scaled in");
            }
        } finally {
            burst.close();
        }
        FleetSnapshot end = controller.snapshot();
        QueueGauge.Depth depth = gauge.depth();
        FleetSummary summary = FleetSummary.of(s.workload(), burst.sentAt(), sink.starts(), sink.executions(), tally,
                end, loadStart, Double.isNaN(settledAt) ? end.t() : settledAt, depth.deadLettered());
        out.println();
        summary.print(out, end.activities());
        RunRecord record = record(s, summary, burst.sentAt(), end, timeline, firstEvaluation - loadStart);
        Path file = s.out().resolve("run.json");
        record.write(file);
        out.printf("  run record     %s (compare with the planner: scripts/plan --against %s)%n",
                shown(s.root(), file), shown(s.root(), file));
        out.printf("  worker logs    %s%n", shown(s.root(), s.out().resolve("logs")));
        boolean ok = summary.ok() && !Double.isNaN(settledAt) && depth.visible() == 0 && depth.inFlight() == 0;
        out.println(ok ? "local fleet: OK" : "local fleet: FAILED");
        return ok ? 0 : 1;
    }

    private static FleetView.Frame frame(FleetController controller, QueueGauge gauge, JobSink sink, BurstGenerator burst,
                                         int jobs, Set<String> ids) {
        FleetSnapshot g = controller.snapshot();
        QueueGauge.Depth depth = gauge.depth();
        List<Integer> inFlight = new ArrayList<>();
        for (FleetInstance i : g.instances()) {
            inFlight.add(i.inFlight());
        }
        Map<String, Integer> starts = sink.starts();
        int duplicates = 0;
        int done = 0;
        for (var e : sink.executions().entrySet()) {
            if (ids.contains(e.getKey())) {
                done++;
            }
        }
        for (int n : starts.values()) {
            duplicates += Math.max(0, n - 1);
        }
        return new FleetView.Frame(g, depth, burst.sentAt().size(), jobs, sink.running(), done, duplicates,
                inFlight);
    }

    private static Map<String, String> workerEnvironment(EmbeddedSqs sqs, QueuePair queues, Settings s) {
        Map<String, String> env = new HashMap<>(sqs.workerEnvironment());
        env.put("WORKER_QUEUE_URL", queues.queueUrl());
        env.put("WORKER_CONCURRENCY", String.valueOf(s.concurrency()));
        env.put("WORKER_METRICS_NAMESPACE", "off");
        // Seen within a quarter second, so a scale-in's notice is short next to the jobs.
        env.put("WORKER_LIFECYCLE_POLL_INTERVAL", "250ms");
        // ElasticMQ keeps serving a long poll a draining worker abandoned: a message arriving then would be taken
        // by that ghost poll and stay invisible for a visibility timeout. Short polls keep that window small.
        env.put("WORKER_RECEIVE_WAIT", "1s");
        env.put("WORKER_VISIBILITY_TIMEOUT", "10s");
        env.put("WORKER_WEBHOOK_TIMEOUT", Math.max(30, (long) Math.ceil(s.workload().maxProcessing() * 2) + 5) + "s");
        env.put("WORKER_WEBHOOK_RATE_LIMIT", "off");
        // The job sink listens on loopback, which the worker refuses unless told (README: Security).
        env.put("WORKER_PRIVATE_DESTINATIONS", "127.0.0.1");
        env.put("WORKER_RETRY_BASE_DELAY", "1s");
        return env;
    }

    private static RunRecord record(Settings s, FleetSummary summary, Map<String, Double> sentAt, FleetSnapshot end,
                                    Timeline timeline, double firstEvaluation) {
        List<RunRecord.Job> jobs = s.workload().jobs().stream()
                .map(j -> new RunRecord.Job(j.id(), sentAt.getOrDefault(j.id(), j.at()), j.processing())).toList();
        double notice = summary.notice().count() == 0 ? Double.NaN : summary.notice().mean();
        List<Double> boots = end.instances().stream().filter(i -> !i.initial() && !Double.isNaN(i.readyAt()))
                .map(FleetInstance::bootSeconds).toList();
        return new RunRecord(s.load(), s.processing(), s.seed(), s.concurrency(), s.bootDelay(),
                RunRecord.Policy.of(s.policy()), firstEvaluation, summary.boot().mean(), boots, notice,
                RunRecord.Measured.of(summary), jobs,
                timeline.points(), end.activities());
    }

    private static String shown(Path root, Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(root) ? root.relativize(abs).toString() : abs.toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
