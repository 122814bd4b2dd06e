package dev.longshore.local.autoscale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.local.ConsoleEcho;
import dev.longshore.local.MetricsScrape;
import dev.longshore.testkit.WorkerProcess;
import dev.longshore.testkit.aws.FakeAws;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A real instance: its own fake instance metadata and Auto Scaling endpoint ({@link FakeAws}, one per instance so
 * each has its own identity and lifecycle state) and a worker jar started as a process pointed at it with the
 * lifecycle hook enabled.
 */
final class WorkerInstance implements WorkerHandle {
    static final String GROUP = "longshore-local-fleet";
    static final String HOOK = "drain";
    private static final Pattern READY_LINE = Pattern.compile("state \\w+ -> READY.*");

    private final FakeAws aws;
    private final WorkerProcess process;
    private final int healthPort;
    private final AtomicBoolean ready;
    private final AtomicLong drainStarted;

    private WorkerInstance(FakeAws aws, WorkerProcess process, int healthPort, AtomicBoolean ready, AtomicLong drainStarted) {
        this.aws = aws;
        this.process = process;
        this.healthPort = healthPort;
        this.ready = ready;
        this.drainStarted = drainStarted;
    }

    /** Starts the worker of {@code instanceId} with {@code baseEnvironment} plus the instance's own variables. */
    static WorkerInstance start(String instanceId, Path jar, Map<String, String> baseEnvironment, Path logDir,
                                WorkerLogTally tally, FleetClock clock) throws IOException {
        FakeAws aws = FakeAws.start(0, instanceId, GROUP, HOOK);
        try {
            int healthPort = EmbeddedSqs.freePort();
            Map<String, String> env = new HashMap<>(baseEnvironment);
            // The SQS environment switches instance metadata off for plain local runs; this instance has some.
            env.remove("AWS_EC2_METADATA_DISABLED");
            env.putAll(aws.workerEnvironment());
            env.put("WORKER_LIFECYCLE_HOOK_NAME", HOOK);
            env.put("WORKER_ASG_NAME", GROUP);
            env.put("WORKER_HEALTH_PORT", String.valueOf(healthPort));
            AtomicBoolean ready = new AtomicBoolean();
            AtomicLong drainStarted = new AtomicLong(Double.doubleToLongBits(Double.NaN));
            // WorkerProcess echoes stderr and non-JSON lines to this stream; a worker writes neither unless something
            // is wrong, so each such line becomes a problem in the summary.
            PrintStream stray = new PrintStream(new LineSink(text -> tally.accept(instanceId, strayLine(text))), true,
                    StandardCharsets.UTF_8);
            WorkerProcess process = WorkerProcess.jar(jar).name(instanceId).inheritEnvironment().env(env)
                    .logFile(logDir.resolve(instanceId + ".log"))
                    .onStderr(ConsoleEcho.stderr(instanceId, stray))
                    .onStdout(ConsoleEcho.stdout(instanceId, stray, line -> {
                        tally.accept(instanceId, line);
                        String msg = line.path("msg").asText("");
                        if (READY_LINE.matcher(msg).matches()) {
                            ready.set(true);
                        } else if (msg.startsWith("drain initiated")) {
                            drainStarted.compareAndSet(Double.doubleToLongBits(Double.NaN),
                                    Double.doubleToLongBits(clock.seconds()));
                        }
                        return false;
                    }))
                    .start();
            return new WorkerInstance(aws, process, healthPort, ready, drainStarted);
        } catch (IOException | RuntimeException e) {
            aws.close();
            throw e;
        }
    }

    private static JsonNode strayLine(String text) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("level", "ERROR");
        node.put("msg", "stderr or non-JSON output: " + text);
        return node;
    }

    @Override
    public boolean ready() {
        return ready.get();
    }

    @Override
    public boolean exited() {
        return !process.isAlive();
    }

    @Override
    public int exitCode() {
        if (process.isAlive()) {
            return -1;
        }
        return process.process().exitValue();
    }

    @Override
    public void scaleIn() {
        aws.scaleIn();
    }

    @Override
    public Optional<String> lifecycleResult() {
        return aws.autoScaling().lifecycleActionResult();
    }

    @Override
    public double drainStartedAt() {
        return Double.longBitsToDouble(drainStarted.get());
    }

    @Override
    public int inFlight() {
        Map<String, Double> m = MetricsScrape.read(healthPort);
        return m.isEmpty() ? -1 : (int) MetricsScrape.value(m, "longshore_inflight_messages");
    }

    @Override
    public void kill() {
        try {
            process.stop(Duration.ofSeconds(35));
        } catch (InterruptedException e) {
            process.sigkill();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        aws.close();
    }
}
