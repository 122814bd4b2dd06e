package dev.longshore.ai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.ai.testing.NvmlStub;
import dev.longshore.testkit.WorkerProcess;
import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.QueuePair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The worker as operators run it: a child JVM started through WorkerLauncher, SQS from an embedded ElasticMQ,
 * NVML from the stub (loaded by path or through LD_LIBRARY_PATH).
 */
class AiWorkerProcessTest {
    private static final long GIB = 1L << 30;
    private static final Duration START = Duration.ofSeconds(60);
    private static final AtomicInteger QUEUES = new AtomicInteger();
    /** One SQS for the class: each test makes its own queues, and starting ElasticMQ takes seconds. */
    @AutoClose
    private static final EmbeddedSqs sqs = EmbeddedSqs.start();

    @TempDir
    Path dir;

    private NvmlStub stub;
    private QueuePair queue;

    @BeforeEach
    void setUp() throws Exception {
        stub = NvmlStub.in(dir);
        queue = sqs.createQueueWithDeadLetter("ai-" + QUEUES.incrementAndGet(), 3, Duration.ofSeconds(30));
        Files.writeString(dir.resolve("tasks.json"), """
                {"hello": {"argv": ["/bin/sh", "-c", "echo hello $CUDA_VISIBLE_DEVICES > \\"$OUTPUT_DIR/hello.txt\\""],
                           "timeout": "30s", "gpus": 1},
                 "cpu": {"argv": ["/bin/sh", "-c", "echo cpu > \\"$OUTPUT_DIR/cpu.txt\\""], "gpus": 0}}
                """);
    }

    private Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = sqs.workerEnvironment(queue.queueUrl());
        env.put("WORKER_NVML_LIBRARY", NvmlStub.library().toString());
        env.put("NVML_STUB_STATE", stub.stateFile().toString());
        env.put("WORKER_AI_TASKS", dir.resolve("tasks.json").toString());
        env.put("WORKER_JOBS_DIR", dir.resolve("jobs").toString());
        env.put("WORKER_DRAIN_TIMEOUT", "5s");
        env.putAll(extra);
        return env;
    }

    private void send(String body) {
        sqs.client().sendMessage(b -> b.queueUrl(queue.queueUrl()).messageBody(body));
    }

    private Map<QueueAttributeName, String> counts() {
        return sqs.client().getQueueAttributes(GetQueueAttributesRequest.builder().queueUrl(queue.queueUrl())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE).build()).attributes();
    }

    @Test
    void aMigReconfigurationExitsOneWithTheExactLogLine() throws Exception {
        stub.write("gpu GPU-1111 mig=1", "mig 0 MIG-aaaa", "mig 0 MIG-bbbb");
        try (WorkerProcess worker = WorkerProcess.start(Main.class, env(Map.of(
                "WORKER_GPU_TOPOLOGY_INTERVAL", "1s", "WORKER_GPU_TOPOLOGY_COOLDOWN", "1s")))) {
            worker.awaitLog(m -> m.startsWith("GPU topology at start"), START);
            stub.write("gpu GPU-1111 mig=1", "mig 0 MIG-cccc");
            long changed = System.nanoTime();
            int code = worker.awaitExit(Duration.ofSeconds(30));
            Duration took = Duration.ofNanos(System.nanoTime() - changed);
            assertEquals(1, code, "exit code; log: " + worker.messages());
            assertTrue(worker.messages().contains("[GPU-Watcher] MIG configuration change detected (Old UUIDs: "
                    + "[GPU-1111, MIG-aaaa, MIG-bbbb], New UUIDs: [GPU-1111, MIG-cccc]). Initiating self-restart."),
                    worker.messages().toString());
            assertEquals("", worker.stderr());
            System.out.println("MEASURED topology change to exit with interval 1s: " + took.toMillis() + " ms");
            assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "exit " + took.toMillis() + " ms after the change");
        }
    }

    @Test
    void theGateKeepsAJobQueuedWhileMemoryIsShortThenTakesIt() throws Exception {
        stub.write("gpu GPU-1111 free=" + GIB + " temp=50");
        int port = EmbeddedSqs.freePort();
        try (WorkerProcess worker = WorkerProcess.start(Main.class, env(Map.of("WORKER_HEALTH_PORT", String.valueOf(port),
                "WORKER_GPU_MIN_FREE_MEMORY", "4GiB")))) {
            WorkerProcess.Readiness paused = worker.awaitReadiness(port, r -> r.state().equals("PAUSED"), START);
            assertEquals(503, paused.status());
            assertEquals("no usable GPU: GPU-1111 has 1.0 GiB free, 4.0 GiB required", paused.reason());
            send("{\"jobId\": \"gated-1\", \"type\": \"ai.run\", \"payload\": {\"task\": \"hello\"}}");
            // Several gate re-checks (one a second): the message is never received, so never in flight.
            for (int i = 0; i < 6; i++) {
                Thread.sleep(500);
                assertEquals("0", counts().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
                assertEquals("1", counts().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
            }
            assertTrue(Files.notExists(dir.resolve("jobs/gated-1")));

            stub.write("gpu GPU-1111 free=" + 8 * GIB + " temp=50");
            Path marker = dir.resolve("jobs/gated-1/SUCCESS");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (Files.notExists(marker) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(marker), "job ran once memory freed up; log: " + worker.messages());
            assertEquals("hello GPU-1111", Files.readString(dir.resolve("jobs/gated-1/outputs/hello.txt")).strip());
            worker.sigterm();
            assertEquals(0, worker.awaitExit(Duration.ofSeconds(30)));
            assertEquals("0", counts().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
            assertEquals("", worker.stderr());
        }
    }

    @Test
    void aFatalXidPausesDrainsAndExitsOne() throws Exception {
        stub.write("gpu GPU-1111");
        int port = EmbeddedSqs.freePort();
        try (WorkerProcess worker = WorkerProcess.start(Main.class, env(Map.of("WORKER_HEALTH_PORT", String.valueOf(port))))) {
            worker.awaitLog(m -> m.startsWith("Watching critical Xid events on [GPU-1111]"), START);
            worker.awaitReadiness(port, r -> r.status() == 200, START);
            stub.write("gpu GPU-1111", "xid 1 0 79");
            assertEquals(1, worker.awaitExit(Duration.ofSeconds(30)));
            List<String> log = worker.messages();
            assertTrue(log.contains("Critical Xid 79 on GPU-1111: the GPU can no longer be trusted"), log.toString());
            assertTrue(log.stream().anyMatch(m -> m.startsWith("declaring this instance unhealthy: GPU lost: Xid 79")),
                    log.toString());
            assertEquals("", worker.stderr());
        }
    }

    @Test
    void withoutNvmlTheWorkerStaysPausedQuietlyAndStopsCleanly() throws Exception {
        int port = EmbeddedSqs.freePort();
        try (WorkerProcess worker = WorkerProcess.start(Main.class, env(Map.of("WORKER_HEALTH_PORT", String.valueOf(port),
                "WORKER_NVML_LIBRARY", dir.resolve("no-driver/libnvidia-ml.so.1").toString())))) {
            WorkerProcess.Readiness r = worker.awaitReadiness(port, x -> x.state().equals("PAUSED"), START);
            assertTrue(r.reason().startsWith("GPU not usable: NVML library "), r.reason());
            Thread.sleep(1500);
            assertTrue(worker.process().isAlive(), "no driver is not a reason to exit");
            worker.sigterm();
            assertEquals(0, worker.awaitExit(Duration.ofSeconds(30)));
            assertEquals("", worker.stderr(), "nothing on stderr: no JNA or JVM warnings");
        }
    }

    @Test
    void theSystemLoaderFindsNvmlThroughLdLibraryPath() throws Exception {
        stub.write("gpu GPU-1111");
        int port = EmbeddedSqs.freePort();
        Map<String, String> env = env(Map.of("WORKER_HEALTH_PORT", String.valueOf(port),
                "LD_LIBRARY_PATH", NvmlStub.library().getParent().toString()));
        env.remove("WORKER_NVML_LIBRARY");
        try (WorkerProcess worker = WorkerProcess.start(Main.class, env)) {
            worker.awaitReadiness(port, r -> r.status() == 200, START);
            worker.sigterm();
            assertEquals(0, worker.awaitExit(Duration.ofSeconds(30)));
        }
    }

    @Test
    void theCpuFlavourRunsTasksWithoutLoadingNvml() throws Exception {
        Files.writeString(dir.resolve("tasks.json"), """
                {"cpu": {"argv": ["/bin/sh", "-c", "echo cpu > \\"$OUTPUT_DIR/cpu.txt\\""], "gpus": 0}}
                """);
        try (WorkerProcess worker = WorkerProcess.start(Main.class, env(Map.of("WORKER_GPU_REQUIRED", "false",
                "WORKER_NVML_LIBRARY", dir.resolve("no-driver/libnvidia-ml.so.1").toString())))) {
            send("{\"jobId\": \"cpu-1\", \"type\": \"ai.run\", \"payload\": {\"task\": \"cpu\"}}");
            worker.awaitLog(m -> m.startsWith("Task cpu for job cpu-1 succeeded"), START);
            assertEquals("cpu", Files.readString(dir.resolve("jobs/cpu-1/outputs/cpu.txt")).strip());
            assertTrue(worker.messages().stream().noneMatch(m -> m.contains("NVML library")), worker.messages().toString());
            worker.sigterm();
            assertEquals(0, worker.awaitExit(Duration.ofSeconds(30)));
        }
    }

    @Test
    void anInvalidSettingExitsTwoWithOneLineOnStderr() throws Exception {
        try (WorkerProcess worker = WorkerProcess.start(Main.class, env(Map.of("WORKER_GPU_MAX_TEMPERATURE", "hot")))) {
            assertEquals(2, worker.awaitExit(START));
            assertEquals("configuration error: WORKER_GPU_MAX_TEMPERATURE=\"hot\" is invalid: expected an integer "
                    + "from 1 to 150\n", worker.stderr());
        }
    }

    @Test
    void aTaskFileMistakeExitsTwoWithOneLineOnStderrNamingTheVariableAndTheTask() throws Exception {
        Path pwned = dir.resolve("jobs/inject-1/outputs/pwned.txt");
        Path json = dir.resolve("tasks.json");
        Files.writeString(json, "{\"resize\": {\"argv\": [\"/bin/sh\",\"-c\",\"echo resizing to ${arg.size}\"]}}");
        send("{\"jobId\": \"inject-1\", \"type\": \"ai.run\", \"payload\": {\"task\": \"resize\", "
                + "\"args\": {\"size\": \"640x480; id > $OUTPUT_DIR/pwned.txt #\"}}}");
        Path yaml = dir.resolve("tasks.yaml");
        Files.writeString(yaml, "upscale:\n  argv: [/bin/true\n  gpus: 0\n");
        Path cpu = dir.resolve("cpu.json");
        Files.writeString(cpu, "{\"embed\": {\"argv\": [\"/bin/true\"]}}");
        for (Map<String, String> extra : List.<Map<String, String>>of(Map.of(), Map.of("WORKER_AI_TASKS", yaml.toString()),
                Map.of("WORKER_AI_TASKS", cpu.toString(), "WORKER_GPU_REQUIRED", "false"))) {
            try (WorkerProcess worker = WorkerProcess.start(Main.class, env(extra))) {
                assertEquals(2, worker.awaitExit(START), extra.toString());
                String stderr = worker.stderr();
                assertEquals(1, stderr.lines().count(), stderr);
                assertTrue(stderr.startsWith("configuration error: WORKER_AI_TASKS=\""), stderr);
                assertTrue(stderr.contains("task '") || stderr.contains("not valid YAML"), stderr);
            }
        }
        assertTrue(Files.notExists(pwned));
        assertEquals("1", counts().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES), "never received");
    }
}
