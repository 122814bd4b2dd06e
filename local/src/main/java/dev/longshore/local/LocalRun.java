package dev.longshore.local;

import dev.longshore.local.autoscale.CommandLine;
import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.Queues;
import dev.longshore.testkit.QueuePair;
import dev.longshore.testkit.WebhookReceiver;
import dev.longshore.testkit.WorkerProcess;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The local run: an SQS server in this JVM (or the endpoint the standard AWS variables name), queues with
 * dead-letter queues, the workers as real processes, demo jobs, and progress until they are done. No AWS
 * account needed.
 *
 * <p>Usage: {@code java -jar longshore-local.jar [--root DIR] [--jobs N] [--keep-running]}. A demo whose worker
 * cannot run here (not built, or a tool such as ffmpeg missing) is skipped with one line that says how to add it.
 */
public final class LocalRun {
    static final String USAGE = """
            usage: scripts/run-local [--jobs N] [--keep-running] [--no-install]
              --jobs N        webhook jobs the messaging demo sends (1 to 10000, default 20)
              --keep-running  leave the workers and SQS up after the demo jobs are done (Ctrl-C stops them)
              --no-install    do not install missing tools even as root; the demos that need them are skipped
            """;
    /** The most demo jobs: enough to watch the messaging worker's concurrency, few enough to finish in minutes. */
    static final int MAX_JOBS = 10_000;
    private static final int DEFAULT_JOBS = 20;
    private static final Set<String> VALUED = Set.of("root", "jobs");
    /** --no-install is the script's (it installs tools before the JVM starts); accepted here so both agree. */
    private static final Set<String> FLAGS = Set.of("keep-running", "no-install");

    private final Path root;
    private final int jobs;
    private final boolean keepRunning;
    private final PrintStream out;

    LocalRun(Path root, int jobs, boolean keepRunning, PrintStream out) {
        this.root = root;
        this.jobs = jobs;
        this.keepRunning = keepRunning;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        System.exit(exec(args, System.out, System.err));
    }

    /** The command: help, a usage mistake (one line and the synopsis, exit 2), or the run's exit code. */
    static int exec(String[] args, PrintStream out, PrintStream err) throws Exception {
        return CommandLine.exec("run-local", USAGE, args, out, err, () -> parse(args, out).run());
    }

    /** The run the arguments ask for; a mistake throws {@link CommandLine.UsageException}. */
    static LocalRun parse(String[] args, PrintStream out) {
        CommandLine c = CommandLine.parse(args, VALUED, FLAGS);
        Path root = c.path("root").orElse(Path.of(".")).toAbsolutePath().normalize();
        return new LocalRun(root, c.integer("jobs", DEFAULT_JOBS, 1, MAX_JOBS), c.flag("keep-running"), out);
    }

    int run() throws Exception {
        String external = System.getenv("AWS_ENDPOINT_URL_SQS") != null ? System.getenv("AWS_ENDPOINT_URL_SQS")
                : System.getenv("AWS_ENDPOINT_URL");
        EmbeddedSqs embedded = null;
        SqsClient sqs;
        Map<String, String> awsEnv = new HashMap<>();
        if (external == null) {
            int port = PortCommand.free(9324) ? 9324 : EmbeddedSqs.freePort();
            embedded = EmbeddedSqs.start(port);
            sqs = embedded.client();
            awsEnv.putAll(embedded.workerEnvironment());
            out.printf("SQS: ElasticMQ embedded on %s (no AWS account needed)%n", embedded.endpoint());
        } else {
            sqs = SqsClient.create();
            out.printf("SQS: %s (from the AWS endpoint variables)%n", external);
        }
        List<Running> running = new ArrayList<>();
        try (LocalS3 s3 = LocalS3.start(); WebhookReceiver receiver = WebhookReceiver.start()) {
            out.printf("S3: test server embedded on %s, bucket %s%n", s3.endpoint(), LocalS3.BUCKET);
            List<Demo> demos = Demos.all(root, jobs, s3);
            out.printf("Webhook receiver on %s%n", receiver.url("/"));
            for (Demo demo : demos) {
                Path jar = demo.jar(root);
                Optional<String> missing = Files.isRegularFile(jar)
                        ? demo.missing()
                        : Optional.of(root.relativize(jar) + " is not built (build it: scripts/mvn -B -DskipTests package)");
                if (missing.isPresent()) {
                    out.printf("skipped worker-%s: %s%n", demo.name(), missing.get());
                    continue;
                }
                QueuePair q = Queues.createWithDeadLetter(sqs, "longshore-" + demo.name(), 5, Duration.ofSeconds(30));
                int health = EmbeddedSqs.freePort();
                Map<String, String> env = new HashMap<>(awsEnv);
                env.put("WORKER_QUEUE_URL", q.queueUrl());
                env.put("WORKER_HEALTH_PORT", String.valueOf(health));
                env.put("WORKER_METRICS_NAMESPACE", "off");
                env.put("WORKER_RETRY_BASE_DELAY", "1s");
                env.putAll(demo.environment(receiver));
                Path log = root.resolve("target/local-run/" + demo.name() + ".log");
                WorkerProcess process = WorkerProcess.jar(jar).name(demo.name()).jvmFlags(workerJvmFlags())
                        .inheritEnvironment().env(env)
                        .logFile(log)
                        .onStdout(ConsoleEcho.stdout(demo.name(), out,
                                n -> demo.echo(n.path("level").asText(), n.path("msg").asText())))
                        .onStderr(ConsoleEcho.stderr(demo.name(), out))
                        .start();
                out.printf("started worker-%s (pid %d), queue %s, health http://127.0.0.1:%d/health/ready, log %s%n",
                        demo.name(), process.pid(), q.queueUrl(), health, root.relativize(log));
                running.add(new Running(demo, process, q, health));
            }
            if (running.isEmpty()) {
                out.println("no worker jars found; build first: scripts/mvn -B -DskipTests package");
                return 1;
            }
            boolean sentAll = true;
            for (Running r : List.copyOf(running)) {
                try {
                    int sent = r.demo.send(sqs, r.queue.queueUrl(), receiver);
                    out.printf("sent %d %s job(s) to %s%n", sent, r.demo.name(), r.queue.queueUrl());
                } catch (RuntimeException e) {
                    out.printf("worker-%s: could not prepare its demo jobs: %s%n", r.demo.name(), e.getMessage());
                    sentAll = false;
                    running.remove(r);
                    r.process.stop(Duration.ofSeconds(40));
                    r.process.close();
                }
            }
            boolean ok = sentAll && !running.isEmpty() && awaitAll(running, sqs);
            for (Running r : running) {
                r.demo.storageSummary().forEach(line -> out.println("S3  " + line));
            }
            if (keepRunning) {
                out.println("--keep-running: workers and SQS stay up; press Ctrl-C to stop.");
                Thread.currentThread().join();
            }
            for (Running r : running) {
                long start = System.nanoTime();
                int code = r.process.stop(Duration.ofSeconds(40));
                out.printf("worker-%s stopped by SIGTERM: exit %d in %d ms%n", r.demo.name(), code,
                        (System.nanoTime() - start) / 1_000_000);
                ok &= code == 0;
            }
            out.println(ok ? "local run: OK" : "local run: FAILED");
            return ok ? 0 : 1;
        } finally {
            for (Running r : running) {
                r.process.close();
            }
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /**
     * The flags the images start workers with (scripts/jvm.options, as a java @argfile: the one list of JVM flags,
     * docs/performance.md), plus native access for JNA (the AI worker's NVML binding) so JDK 24+ does not warn.
     */
    private List<String> workerJvmFlags() {
        List<String> flags = new ArrayList<>();
        Path options = root.resolve("scripts/jvm.options");
        if (Files.isRegularFile(options)) {
            flags.add("@" + options);
        }
        flags.add("--enable-native-access=ALL-UNNAMED");
        return flags;
    }

    private boolean awaitAll(List<Running> running, SqsClient sqs) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            boolean allDone = true;
            StringBuilder line = new StringBuilder();
            for (Running r : running) {
                Map<String, Double> m = MetricsScrape.read(r.health);
                Demo.Progress p = r.demo.progress(sqs, r.queue, m);
                allDone &= p.done();
                line.append(String.format("%s: %s  ", r.demo.name(), p.summary()));
                if (!r.process.isAlive()) {
                    out.printf("worker-%s exited early; see target/local-run/%s.log%n", r.demo.name(), r.demo.name());
                    return false;
                }
            }
            String now = line.toString().trim();
            if (!now.equals(last)) {
                out.println("progress  " + now);
                last = now;
            }
            if (allDone) {
                return true;
            }
            Thread.sleep(500);
        }
        out.println("timed out waiting for the demo jobs");
        return false;
    }

    private record Running(Demo demo, WorkerProcess process, QueuePair queue, int health) {
    }
}
