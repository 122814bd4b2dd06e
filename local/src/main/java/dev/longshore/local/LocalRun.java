package dev.longshore.local;

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
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The local run: an SQS server in this JVM (or the endpoint the standard AWS variables name), queues with
 * dead-letter queues, the workers as real processes, demo jobs, and progress until they are done. No AWS
 * account needed.
 *
 * <p>Usage: {@code java -jar longshore-local.jar [--root DIR] [--jobs N] [--keep-running]}
 */
public final class LocalRun {
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
        Path root = Path.of(".").toAbsolutePath().normalize();
        int jobs = 20;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]).toAbsolutePath().normalize();
                case "--jobs" -> jobs = Integer.parseInt(args[++i]);
                case "--keep-running" -> keep = true;
                case "-h", "--help" -> {
                    System.out.println("usage: run-local [--jobs N] [--keep-running]");
                    return;
                }
                default -> {
                    System.err.println("run-local: unknown argument " + args[i] + " (try --help)");
                    System.exit(2);
                }
            }
        }
        System.exit(new LocalRun(root, jobs, keep, System.out).run());
    }

    int run() throws Exception {
        String external = System.getenv("AWS_ENDPOINT_URL_SQS") != null ? System.getenv("AWS_ENDPOINT_URL_SQS")
                : System.getenv("AWS_ENDPOINT_URL");
        EmbeddedSqs embedded = null;
        SqsClient sqs;
        Map<String, String> awsEnv = new HashMap<>();
        if (external == null) {
            int port = portFree(9324) ? 9324 : EmbeddedSqs.freePort();
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
                if (!Files.isRegularFile(demo.jar())) {
                    out.printf("skipping %s: %s is not built (run scripts/mvn -DskipTests package)%n", demo.name(), demo.jar());
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
                WorkerProcess process = WorkerProcess.jar(demo.jar()).name(demo.name()).inheritEnvironment().env(env)
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
            for (Running r : running) {
                int sent = r.demo.send(sqs, r.queue.queueUrl(), receiver);
                out.printf("sent %d %s job(s) to %s%n", sent, r.demo.name(), r.queue.queueUrl());
            }
            boolean ok = awaitAll(running, sqs);
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

    private static boolean portFree(int port) {
        try (var s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private record Running(Demo demo, WorkerProcess process, QueuePair queue, int health) {
    }
}
