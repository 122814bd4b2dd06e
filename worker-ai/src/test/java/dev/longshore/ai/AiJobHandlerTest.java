package dev.longshore.ai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.longshore.ai.gpu.GpuAllocator;
import dev.longshore.ai.gpu.GpuGate;
import dev.longshore.ai.gpu.GpuHealth;
import dev.longshore.ai.gpu.GpuRequirements;
import dev.longshore.ai.nvml.Nvml;
import dev.longshore.ai.result.ResultPublisher;
import dev.longshore.ai.runner.InputFetcher;
import dev.longshore.ai.runner.InputSettings;
import dev.longshore.ai.runner.JobsDirectory;
import dev.longshore.ai.runner.ProcessRunner;
import dev.longshore.ai.result.JobResult;
import dev.longshore.ai.task.Task;
import dev.longshore.ai.task.TaskFileException;
import dev.longshore.ai.task.TaskRegistry;
import dev.longshore.testkit.FakeJobContext;
import dev.longshore.ai.testing.BackgroundJobs;
import dev.longshore.ai.testing.NvmlStub;
import dev.longshore.core.files.FileRoots;
import dev.longshore.core.http.PrivateDestinations;
import dev.longshore.core.job.Job;
import dev.longshore.core.job.JobFailure;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import dev.longshore.core.job.JobEnvelope;
import dev.longshore.core.metrics.Counter;
import dev.longshore.core.metrics.Metrics;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes (/bin/sh), real files, a real HTTP server on loopback; no GPU (the NVML stub where needed). */
class AiJobHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration KILL_GRACE = Duration.ofMillis(300);

    @TempDir
    Path tmp;

    private Path jobsRoot;
    private final Counter duplicates = new Counter();
    private final FakeJobContext ctx = new FakeJobContext();

    @BeforeEach
    void setUp() throws Exception {
        jobsRoot = tmp.resolve("jobs");
    }

    private AiJobHandler handler(String tasksJson, Optional<GpuAllocator> gpus, ResultPublisher results,
                                 Map<String, String> hostEnv) throws Exception {
        return handler(tasksJson, gpus, results, hostEnv, testInputs());
    }

    /** Inputs may come from the test's own directory and from the loopback test server (README: Security). */
    private InputFetcher testInputs() {
        InputSettings inputs = new InputSettings(InputSettings.DEFAULT_MAX_BYTES,
                FileRoots.parse(InputSettings.FILE_ROOTS_VARIABLE, tmp.toString(), ':'), InputSettings.DEFAULT_STALL_TIMEOUT);
        return InputFetcher.create(PrivateDestinations.parse("127.0.0.1"), inputs);
    }

    private AiJobHandler handler(String tasksJson, Optional<GpuAllocator> gpus, ResultPublisher results,
                                 Map<String, String> hostEnv, InputFetcher inputs) throws Exception {
        Path tasks = tmp.resolve("tasks.json");
        Files.writeString(tasks, tasksJson);
        return new AiJobHandler(TaskRegistry.load(tasks), "test tasks", new JobsDirectory(jobsRoot),
                inputs, new ProcessRunner(KILL_GRACE), gpus, results, hostEnv, Clock.systemUTC(), duplicates);
    }

    private AiJobHandler handler(TaskRegistry registry, Metrics metrics) throws Exception {
        return new AiJobHandler(registry, "test tasks", new JobsDirectory(jobsRoot), testInputs(),
                new ProcessRunner(KILL_GRACE), Optional.empty(), ResultPublisher.NONE, System.getenv(),
                Clock.systemUTC(), metrics);
    }

    private AiJobHandler handler(String tasksJson, Metrics metrics, ResultPublisher results) throws Exception {
        Path tasks = tmp.resolve("tasks.json");
        Files.writeString(tasks, tasksJson);
        return new AiJobHandler(TaskRegistry.load(tasks), "test tasks", new JobsDirectory(jobsRoot),
                testInputs(), new ProcessRunner(KILL_GRACE), Optional.empty(), results,
                System.getenv(), Clock.systemUTC(), metrics);
    }

    private AiJobHandler handler(String tasksJson) throws Exception {
        return handler(tasksJson, Optional.empty(), ResultPublisher.NONE, System.getenv());
    }

    /** A task running {@code script} with /bin/sh; extra positional parameters come from {@code args}. */
    private static String shTask(String name, String script, String extra) throws Exception {
        return "\"" + name + "\": {\"argv\": [\"/bin/sh\", \"-c\", " + JSON.writeValueAsString(script)
                + ", \"sh\", \"${arg.a}\"], \"gpus\": 0" + (extra.isEmpty() ? "" : ", " + extra) + "}";
    }

    private static String tasks(String... entries) {
        return "{" + String.join(",\n", entries) + "}";
    }

    private static Job job(String id, String payloadJson, int receiveCount) throws Exception {
        return new Job(id, "ai.run", (ObjectNode) JSON.readTree(payloadJson), receiveCount, "msg-" + id,
                Optional.empty());
    }

    private static Job run(String id, String task) throws Exception {
        return job(id, "{\"task\": \"" + task + "\", \"args\": {\"a\": \"\"}}", 1);
    }

    private Path jobDir(String id) {
        return jobsRoot.resolve(id);
    }

    private JsonNode readJson(Path p) throws Exception {
        return JSON.readTree(p.toFile());
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static boolean deadWithin(long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(pid).map(ph -> !ph.isAlive()).orElse(true)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static long awaitPid(Path file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                String s = Files.readString(file).strip();
                if (!s.isEmpty()) {
                    return Long.parseLong(s);
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no pid in " + file);
    }

    @Test
    void successWritesOutputsManifestAndSuccessMarkerAndTheTaskSeesItsEnvironment() throws Exception {
        AiJobHandler h = handler(tasks(shTask("write", """
                printf hello > "$OUTPUT_DIR/out.txt"
                mkdir -p "$OUTPUT_DIR/sub" && printf x > "$OUTPUT_DIR/sub/y.bin"
                echo "JOB_ID=$JOB_ID OUTPUT_DIR=$OUTPUT_DIR LOG_DIR=$LOG_DIR CUDA=[$CUDA_VISIBLE_DEVICES] PWD=$PWD"
                echo to-stderr >&2
                """, "")));
        h.handle(run("job-1", "write"), ctx);

        Path dir = jobDir("job-1");
        assertTrue(Files.exists(dir.resolve("SUCCESS")));
        assertFalse(Files.exists(dir.resolve("FAILED")));
        for (String sub : List.of("inputs", "models", "outputs", "logs")) {
            assertTrue(Files.isDirectory(dir.resolve(sub)), sub);
        }
        String real = dir.toRealPath().toString();
        assertEquals("JOB_ID=job-1 OUTPUT_DIR=" + real + "/outputs LOG_DIR=" + real + "/logs CUDA=[] PWD=" + real,
                Files.readString(dir.resolve("logs/stdout.log")).strip());
        assertEquals("to-stderr", Files.readString(dir.resolve("logs/stderr.log")).strip());
        JsonNode manifest = readJson(dir.resolve("manifest.json"));
        assertEquals("SUCCESS", manifest.get("status").asText());
        assertEquals("write", manifest.get("task").asText());
        assertEquals(0, manifest.get("exitCode").asInt());
        assertEquals(2, manifest.get("outputs").size());
        JsonNode out = manifest.get("outputs").get(0);
        assertEquals("out.txt", out.get("path").asText());
        assertEquals(5, out.get("size").asLong());
        assertEquals(sha256("hello".getBytes(StandardCharsets.UTF_8)), out.get("sha256").asText());
        assertEquals("sub/y.bin", manifest.get("outputs").get(1).get("path").asText());
    }

    @Test
    void theJobIsPinnedToTheGpuTheGateChose() throws Exception {
        NvmlStub stub = NvmlStub.in(tmp);
        stub.write("gpu GPU-full free=" + (1L << 30), "gpu GPU-roomy free=" + (20L << 30));
        try (Nvml nvml = Nvml.load(Optional.of(NvmlStub.library().toString()))) {
            GpuGate gate = new GpuGate(nvml::snapshot, new GpuRequirements(8L << 30, 85), new GpuHealth(r -> { }),
                    Clock.systemUTC());
            assertTrue(gate.check().isOpen());
            AiJobHandler h = handler("{\"gpu\": {\"argv\": [\"/bin/sh\", \"-c\", \"echo $CUDA_VISIBLE_DEVICES\"]}}",
                    Optional.of(gate), ResultPublisher.NONE, System.getenv());
            h.handle(job("on-gpu", "{\"task\": \"gpu\"}", 1), ctx);
            assertEquals("GPU-roomy", Files.readString(jobDir("on-gpu").resolve("logs/stdout.log")).strip());

            stub.write("gpu GPU-full free=" + (1L << 30), "gpu GPU-roomy free=" + (2L << 30));
            RetryableFailure f = assertThrows(RetryableFailure.class,
                    () -> h.handle(job("no-room", "{\"task\": \"gpu\"}", 1), ctx));
            assertEquals("gpu_unavailable", f.code());
        }
    }

    @Test
    void aNonZeroExitIsPermanentWithAFailedMarkerAndTheStderrTail() throws Exception {
        AiJobHandler h = handler(tasks(shTask("bad", "echo starting; echo 'model file corrupt' >&2; exit 3", "")));
        PermanentFailure f = assertThrows(PermanentFailure.class, () -> h.handle(run("bad-1", "bad"), ctx));
        assertEquals("exit_3", f.code());
        assertTrue(f.reason().contains("exited with 3") && f.reason().contains("model file corrupt"), f.reason());
        JsonNode marker = readJson(jobDir("bad-1").resolve("FAILED"));
        assertEquals("exit_3", marker.get("error").asText());
        assertFalse(marker.get("retryable").asBoolean());
        assertFalse(Files.exists(jobDir("bad-1").resolve("SUCCESS")));
    }

    @Test
    void aRetryableExitCodeIsRetried() throws Exception {
        AiJobHandler h = handler(tasks(shTask("flaky", "exit 75", "\"retryableExitCodes\": [75]")));
        RetryableFailure f = assertThrows(RetryableFailure.class, () -> h.handle(run("flaky-1", "flaky"), ctx));
        assertEquals("exit_75", f.code());
        assertTrue(readJson(jobDir("flaky-1").resolve("FAILED")).get("retryable").asBoolean());
    }

    @Test
    void aTimeoutKillsTheWholeProcessTreeAndIsRetried() throws Exception {
        AiJobHandler h = handler(tasks(shTask("slow", """
                sleep 60 & echo $! > "$OUTPUT_DIR/child.pid"
                echo $$ > "$OUTPUT_DIR/parent.pid"
                sleep 60
                """, "\"timeout\": \"1s\"")));
        long start = System.nanoTime();
        RetryableFailure f = assertThrows(RetryableFailure.class, () -> h.handle(run("slow-1", "slow"), ctx));
        assertEquals("timeout", f.code());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
        Path out = jobDir("slow-1").resolve("outputs");
        assertTrue(deadWithin(awaitPid(out.resolve("child.pid")), Duration.ofSeconds(5)), "background child killed");
        assertTrue(deadWithin(awaitPid(out.resolve("parent.pid")), Duration.ofSeconds(5)), "task process killed");
        assertTrue(readJson(jobDir("slow-1").resolve("FAILED")).get("reason").asText().contains("timeout"));
    }

    @Test
    void processesIgnoringSigtermAreKilledAfterTheGracePeriod() throws Exception {
        AiJobHandler h = handler(tasks(shTask("stubborn", """
                trap '' TERM
                sleep 60 & echo $! > "$OUTPUT_DIR/child.pid"
                wait
                """, "\"timeout\": \"500ms\"")));
        RetryableFailure f = assertThrows(RetryableFailure.class, () -> h.handle(run("stubborn-1", "stubborn"), ctx));
        assertEquals("timeout", f.code());
        assertTrue(deadWithin(awaitPid(jobDir("stubborn-1").resolve("outputs/child.pid")), Duration.ofSeconds(5)));
    }

    @Test
    void theDrainDeadlineKillsTheWholeProcessTree() throws Exception {
        AiJobHandler h = handler(tasks(shTask("long", """
                sleep 60 & echo $! > "$OUTPUT_DIR/child.pid"
                sleep 60
                """, "")));
        CompletableFuture<Throwable> outcome = BackgroundJobs.start(h, run("long-1", "long"), ctx);
        long child = awaitPid(jobDir("long-1").resolve("outputs/child.pid"));
        ctx.cancel();
        Throwable t = outcome.get(10, TimeUnit.SECONDS);
        RetryableFailure f = assertInstanceOf(RetryableFailure.class, t);
        assertEquals("cancelled", f.code());
        assertTrue(deadWithin(child, Duration.ofSeconds(5)));
        assertTrue(readJson(jobDir("long-1").resolve("FAILED")).get("error").asText().equals("cancelled"));
    }

    @Test
    void aChecksumMismatchIsPermanentAndTheTaskNeverRuns() throws Exception {
        Path data = tmp.resolve("data.txt");
        Files.writeString(data, "payload");
        AiJobHandler h = handler("""
                {"use": {"argv": ["/bin/sh", "-c", "cat \\"$1\\" > \\"$OUTPUT_DIR/copy\\"", "sh", "${input.data.txt}"],
                         "gpus": 0}}""");
        String wrong = "0".repeat(64);
        PermanentFailure f = assertThrows(PermanentFailure.class, () -> h.handle(job("sum-1",
                "{\"task\": \"use\", \"inputs\": [{\"uri\": \"" + data.toUri() + "\", \"sha256\": \"" + wrong + "\"}]}",
                1), ctx));
        assertEquals("checksum_mismatch", f.code());
        assertTrue(f.reason().contains(sha256("payload".getBytes(StandardCharsets.UTF_8))), f.reason());
        assertFalse(Files.exists(jobDir("sum-1").resolve("logs/stdout.log")), "the task never started");
        assertFalse(Files.exists(jobDir("sum-1").resolve("inputs/data.txt")), "the bad input is removed");

        h.handle(job("sum-2", "{\"task\": \"use\", \"inputs\": [{\"uri\": \"" + data.toUri() + "\", \"sha256\": \""
                + sha256("payload".getBytes(StandardCharsets.UTF_8)) + "\"}]}", 1), ctx);
        assertEquals("payload", Files.readString(jobDir("sum-2").resolve("outputs/copy")));
    }

    @Test
    void httpInputsAreDownloadedVerifiedAndClassified() throws Exception {
        byte[] model = "weights".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/model.bin", ex -> {
            ex.sendResponseHeaders(200, model.length);
            ex.getResponseBody().write(model);
            ex.close();
        });
        server.createContext("/gone", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.createContext("/busy", ex -> {
            ex.sendResponseHeaders(503, -1);
            ex.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            AiJobHandler h = handler("{\"sum\": {\"argv\": [\"/usr/bin/sha256sum\", \"${model.model.bin}\"], \"gpus\": 0}}");
            h.handle(job("http-1", "{\"task\": \"sum\", \"models\": [{\"uri\": \"" + base + "/model.bin\", \"sha256\": \""
                    + sha256(model) + "\"}]}", 1), ctx);
            assertTrue(Files.readString(jobDir("http-1").resolve("logs/stdout.log")).startsWith(sha256(model)));

            PermanentFailure gone = assertThrows(PermanentFailure.class, () -> h.handle(job("http-2",
                    "{\"task\": \"sum\", \"models\": [{\"uri\": \"" + base + "/gone\", \"name\": \"model.bin\"}]}", 1), ctx));
            assertEquals("input_unavailable", gone.code());
            RetryableFailure busy = assertThrows(RetryableFailure.class, () -> h.handle(job("http-3",
                    "{\"task\": \"sum\", \"models\": [{\"uri\": \"" + base + "/busy\", \"name\": \"model.bin\"}]}", 1), ctx));
            assertEquals("input_download_failed", busy.code());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void jobIdsThatWouldLeaveTheJobsDirectoryAreRefused() throws Exception {
        AiJobHandler h = handler(tasks(shTask("write", "touch \"$OUTPUT_DIR/x\"", "")));
        for (String id : List.of("..", ".", "../escape", "a/b", "/etc", "")) {
            PermanentFailure f = assertThrows(PermanentFailure.class, () -> h.handle(run(id, "write"), ctx), id);
            assertEquals("invalid_job_id", f.code(), id);
        }
        try (var entries = Files.list(tmp)) {
            assertEquals(List.of("jobs", "tasks.json"), entries.map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (var entries = Files.list(jobsRoot)) {
            assertEquals(0, entries.count());
        }
    }

    @Test
    void aRedeliveryAfterSuccessIsAcknowledgedWithoutRunningAgain() throws Exception {
        Path counter = tmp.resolve("runs");
        AiJobHandler h = handler(tasks(shTask("count", "echo run >> \"$1\"", "")));
        Job first = job("once", "{\"task\": \"count\", \"args\": {\"a\": \"" + counter + "\"}}", 1);
        Job again = job("once", "{\"task\": \"count\", \"args\": {\"a\": \"" + counter + "\"}}", 2);
        h.handle(first, ctx);
        h.handle(again, ctx);
        assertEquals(List.of("run"), Files.readAllLines(counter));
        assertEquals(1, duplicates.value());
    }

    @Test
    void aRetriedJobStartsFromACleanDirectory() throws Exception {
        Path flag = tmp.resolve("second-attempt");
        AiJobHandler h = handler(tasks(shTask("retry", """
                if [ -e "$1" ]; then echo done > "$OUTPUT_DIR/final"; exit 0; fi
                touch "$1"; echo partial > "$OUTPUT_DIR/partial"; exit 75
                """, "\"retryableExitCodes\": [75]")));
        String payload = "{\"task\": \"retry\", \"args\": {\"a\": \"" + flag + "\"}}";
        assertThrows(RetryableFailure.class, () -> h.handle(job("r-1", payload, 1), ctx));
        assertTrue(Files.exists(jobDir("r-1").resolve("outputs/partial")));
        h.handle(job("r-1", payload, 2), ctx);
        assertFalse(Files.exists(jobDir("r-1").resolve("outputs/partial")));
        assertFalse(Files.exists(jobDir("r-1").resolve("FAILED")));
        JsonNode manifest = readJson(jobDir("r-1").resolve("manifest.json"));
        assertEquals(1, manifest.get("outputs").size());
        assertEquals("final", manifest.get("outputs").get(0).get("path").asText());
    }

    @Test
    void argumentsReachTheTaskAsSingleArgumentsAndEnvironmentNeverThroughAShell() throws Exception {
        String hostile = "x\"; touch pwned; echo $(touch pwned2) `touch pwned3` 'y";
        AiJobHandler h = handler("{\"echo\": {\"argv\": [\"/usr/bin/printf\", \"[%s]\", \"${arg.text}\", \"--flag=${arg.n}\"],"
                + " \"gpus\": 0}, \"env\": {\"argv\": [\"/usr/bin/env\"], \"gpus\": 0, \"env\": {\"MODEL\": \"m1\"}}}",
                Optional.empty(), ResultPublisher.NONE,
                Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8", "WORKER_SMTP_PASSWORD", "secret",
                        "AWS_SECRET_ACCESS_KEY", "secret"));
        ObjectNode payload = JSON.createObjectNode().put("task", "echo");
        payload.putObject("args").put("text", hostile).put("n", 7);
        h.handle(new Job("args-1", "ai.run", payload, 1, "m", Optional.empty()), ctx);
        assertEquals("[" + hostile + "][--flag=7]", Files.readString(jobDir("args-1").resolve("logs/stdout.log")));
        try (var files = Files.list(jobDir("args-1"))) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("pwned")));
        }

        ObjectNode envPayload = JSON.createObjectNode().put("task", "env");
        envPayload.putObject("args").put("text", hostile);
        h.handle(new Job("args-2", "ai.run", envPayload, 1, "m", Optional.empty()), ctx);
        List<String> env = Files.readAllLines(jobDir("args-2").resolve("logs/stdout.log"));
        assertTrue(env.contains("ARG_TEXT=" + hostile), env.toString());
        assertTrue(env.contains("MODEL=m1"), env.toString());
        assertTrue(env.contains("PATH=/usr/bin:/bin"), env.toString());
        assertTrue(env.contains("JOB_ID=args-2"), env.toString());
        assertTrue(env.stream().noneMatch(l -> l.contains("secret")), "worker secrets stay with the worker: " + env);
    }

    @Test
    void badRequestsArePermanentWithAReasonNamingTheProblem() throws Exception {
        AiJobHandler h = handler(tasks(shTask("t", "true", "")));
        assertFailure(h, "{\"task\": \"nope\"}", PermanentFailure.class, "unknown_task");
        assertFailure(h, "{\"task\": \"t\"}", PermanentFailure.class, "missing_argument");
        assertFailure(h, "{\"task\": \"t\", \"command\": \"rm -rf /\"}", PermanentFailure.class, "invalid_payload");
        assertFailure(h, "{}", PermanentFailure.class, "invalid_payload");
        assertFailure(h, "{\"task\": \"t\", \"args\": {\"a\": \"\"}, \"inputs\": [{\"uri\": \"ftp://x/y\"}]}",
                PermanentFailure.class, "invalid_payload");
        assertFailure(h, "{\"task\": \"t\", \"args\": {\"a\": \"\"}, \"inputs\": [{\"uri\": \"file:///etc/x\", "
                + "\"name\": \"../x\"}]}", PermanentFailure.class, "invalid_payload");
        assertFailure(h, "{\"task\": \"t\", \"args\": {\"a\": \"\"}, \"inputs\": [{\"uri\": \""
                + tmp.resolve("no/such/file").toUri() + "\"}]}", PermanentFailure.class, "input_not_found");
        // The task file refuses a missing program at start; one that disappeared since still fails the job.
        AiJobHandler missing = handler(new TaskRegistry(Map.of("t", new Task("t", List.of("/no/such/program"),
                Task.DEFAULT_TIMEOUT, 0, Map.of(), Set.of()))), new Metrics());
        assertFailure(missing, "{\"task\": \"t\"}", PermanentFailure.class, "task_start_failed");
    }

    private void assertFailure(AiJobHandler h, String payload, Class<? extends JobFailure> type, String code)
            throws Exception {
        JobFailure f = assertThrows(type, () -> h.handle(job("bad-" + code, payload, 1), ctx), payload);
        assertEquals(code, f.code(), f.reason());
    }

    @Test
    void theCpuFlavourRunsCpuTasksWithNoGpuVisibleAndRefusesGpuTasks() throws Exception {
        AiJobHandler h = handler("{\"cpu\": {\"argv\": [\"/bin/sh\", \"-c\", \"echo [$CUDA_VISIBLE_DEVICES]\"], \"gpus\": 0},"
                + " \"gpu\": {\"argv\": [\"/bin/true\"], \"gpus\": 1}}");
        h.handle(job("cpu-1", "{\"task\": \"cpu\"}", 1), ctx);
        assertEquals("[]", Files.readString(jobDir("cpu-1").resolve("logs/stdout.log")).strip());
        assertFailure(h, "{\"task\": \"gpu\"}", PermanentFailure.class, "gpu_not_available");
    }

    @Test
    void aSecondDeliveryWhileTheJobRunsIsRetriedLater() throws Exception {
        AiJobHandler h = handler(tasks(shTask("hold", "echo $$ > \"$OUTPUT_DIR/pid\"; sleep 60", "")));
        CompletableFuture<Throwable> first = BackgroundJobs.start(h, run("twice", "hold"), ctx);
        awaitPid(jobDir("twice").resolve("outputs/pid"));
        RetryableFailure f = assertThrows(RetryableFailure.class, () -> h.handle(run("twice", "hold"), new FakeJobContext()));
        assertEquals("job_running", f.code());
        assertTrue(Files.exists(jobDir("twice").resolve("outputs/pid")), "the running attempt's files are untouched");
        ctx.cancel();
        assertInstanceOf(RetryableFailure.class, first.get(10, TimeUnit.SECONDS));
    }

    /** The job as the runtime builds it from a message body (core JobEnvelope), numbers included. */
    private static Job fromBody(String id, String payloadJson, int receiveCount) throws Exception {
        return JobEnvelope.parse("{\"jobId\": \"" + id + "\", \"type\": \"ai.run\", \"payload\": " + payloadJson + "}",
                Set.of("ai.run"), receiveCount, "msg-" + id, Optional.empty());
    }

    private List<String> jobDirectories() throws Exception {
        if (!Files.exists(jobsRoot)) {
            return List.of();
        }
        try (var entries = Files.list(jobsRoot)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theShellInjectionTaskIsRefusedAtStartAndTheSafeFormRunsThePayloadAsData() throws Exception {
        Path tasks = tmp.resolve("tasks.json");
        Files.writeString(tasks, "{\"resize\": {\"argv\": [\"/bin/sh\", \"-c\", \"echo resizing to ${arg.size}\"],"
                + " \"gpus\": 0}}");
        TaskFileException refused = assertThrows(TaskFileException.class, () -> TaskRegistry.load(tasks));
        assertTrue(refused.getMessage().startsWith("task 'resize': "), refused.getMessage());

        // The same task written the safe way, fed the attack: the payload is printed, never run.
        AiJobHandler h = handler("{\"resize\": {\"argv\": [\"/bin/sh\", \"-c\", \"echo resizing to \\\"$ARG_SIZE\\\"\"],"
                + " \"gpus\": 0}}");
        ObjectNode payload = JSON.createObjectNode().put("task", "resize");
        payload.putObject("args").put("size", "640x480; id > $OUTPUT_DIR/pwned.txt #");
        h.handle(new Job("inject-1", "ai.run", payload, 1, "m", Optional.empty()), ctx);
        assertFalse(Files.exists(jobDir("inject-1").resolve("outputs/pwned.txt")));
        assertEquals("resizing to 640x480; id > $OUTPUT_DIR/pwned.txt #",
                Files.readString(jobDir("inject-1").resolve("logs/stdout.log")).strip());
    }

    @Test
    void anArgumentThatLooksLikeAnOptionIsRefusedUnlessItIsANumber() throws Exception {
        AiJobHandler h = handler("{\"echo\": {\"argv\": [\"/usr/bin/printf\", \"[%s]\", \"${arg.v}\"], \"gpus\": 0}}");
        for (String hostile : List.of("--output=/etc/passwd", "-rf", "-", "-5x", "-e3")) {
            ObjectNode payload = JSON.createObjectNode().put("task", "echo");
            payload.putObject("args").put("v", hostile);
            PermanentFailure f = assertThrows(PermanentFailure.class,
                    () -> h.handle(new Job("opt-1", "ai.run", payload, 1, "m", Optional.empty()), ctx), hostile);
            assertEquals("invalid_argument", f.code(), hostile);
            assertTrue(f.reason().contains("argument 'v'"), f.reason());
        }
        assertEquals(List.of(), jobDirectories(), "a refused job gets no directory");
        h.handle(fromBody("neg-1", "{\"task\": \"echo\", \"args\": {\"v\": -5}}", 1), ctx);
        assertEquals("[-5]", Files.readString(jobDir("neg-1").resolve("logs/stdout.log")));
        h.handle(fromBody("neg-2", "{\"task\": \"echo\", \"args\": {\"v\": \"-0.25\"}}", 1), ctx);
        assertEquals("[-0.25]", Files.readString(jobDir("neg-2").resolve("logs/stdout.log")));
    }

    @Test
    void anOptionLikeValueIsFineInTheEnvironment() throws Exception {
        AiJobHandler h = handler("{\"env\": {\"argv\": [\"/bin/sh\", \"-c\", \"printf %s \\\"$ARG_V\\\"\"], \"gpus\": 0}}");
        h.handle(fromBody("env-opt", "{\"task\": \"env\", \"args\": {\"v\": \"--verbose\"}}", 1), ctx);
        assertEquals("--verbose", Files.readString(jobDir("env-opt").resolve("logs/stdout.log")));
    }

    @Test
    void jobsRefusedBeforeTheyRunLeaveNoDirectory() throws Exception {
        AiJobHandler h = handler(tasks(shTask("t", "true", ""),
                "\"in\": {\"argv\": [\"/bin/cat\", \"${input.data}\"], \"gpus\": 0}",
                "\"gpu\": {\"argv\": [\"/bin/true\"], \"gpus\": 1}"));
        assertFailure(h, "{\"task\": \"nope\"}", PermanentFailure.class, "unknown_task");
        assertFailure(h, "{\"task\": \"t\", \"command\": \"x\"}", PermanentFailure.class, "invalid_payload");
        assertFailure(h, "{\"task\": \"t\"}", PermanentFailure.class, "missing_argument");
        assertFailure(h, "{\"task\": \"t\", \"args\": {\"a\": \"-x\"}}", PermanentFailure.class, "invalid_argument");
        assertFailure(h, "{\"task\": \"t\", \"args\": {\"a\": \"\", \"A\": \"\"}}", PermanentFailure.class,
                "invalid_payload");
        assertFailure(h, "{\"task\": \"in\"}", PermanentFailure.class, "missing_input");
        assertFailure(h, "{\"task\": \"gpu\"}", PermanentFailure.class, "gpu_not_available");
        assertThrows(PermanentFailure.class, () -> h.handle(run("..", "t"), ctx));
        assertEquals(List.of(), jobDirectories());
    }

    @Test
    void numbersReachTheTaskAsTheMessageWroteThem() throws Exception {
        AiJobHandler h = handler("{\"nums\": {\"argv\": [\"/usr/bin/printf\", \"%s|\", \"${arg.lr}\", \"${arg.n}\","
                + " \"${arg.s}\", \"${arg.i}\", \"${arg.b}\", \"${arg.big}\", \"${arg.f}\"], \"gpus\": 0},"
                + " \"env\": {\"argv\": [\"/usr/bin/env\"], \"gpus\": 0}}");
        String args = "{\"lr\": 0.0001, \"n\": 1e3, \"s\": 2.50, \"i\": 7, \"b\": true, \"big\": 12345678901234567890, \"f\": 4.0}";
        h.handle(fromBody("nums-1", "{\"task\": \"nums\", \"args\": " + args + "}", 1), ctx);
        assertEquals("0.0001|1000|2.50|7|true|12345678901234567890|4.0|",
                Files.readString(jobDir("nums-1").resolve("logs/stdout.log")));
        h.handle(fromBody("nums-2", "{\"task\": \"env\", \"args\": " + args + "}", 1), ctx);
        List<String> env = Files.readAllLines(jobDir("nums-2").resolve("logs/stdout.log"));
        assertTrue(env.containsAll(List.of("ARG_LR=0.0001", "ARG_N=1000", "ARG_S=2.50")), env.toString());

        PermanentFailure huge = assertThrows(PermanentFailure.class, () -> h.handle(fromBody("nums-3",
                "{\"task\": \"nums\", \"args\": {\"lr\": 1e100000000}}", 1), ctx));
        assertEquals("invalid_payload", huge.code());
    }

    @Test
    void aRetryKeepsTheEarlierAttemptsLogsAndResultsSayWhichAttemptAndWhereTheTimeWent() throws Exception {
        Path flag = tmp.resolve("second-attempt");
        List<JobResult> published = new CopyOnWriteArrayList<>();
        AiJobHandler h = handler(tasks(shTask("retry", """
                if [ -e "$1" ]; then echo second; exit 3; fi
                touch "$1"; echo first; echo first-err >&2; echo note > "$LOG_DIR/task.log"; exit 75
                """, "\"retryableExitCodes\": [75]")), new Metrics(), published::add);
        String payload = "{\"task\": \"retry\", \"args\": {\"a\": \"" + flag + "\"}}";
        assertThrows(RetryableFailure.class, () -> h.handle(job("logs-1", payload, 1), ctx));
        assertEquals(1, readJson(jobDir("logs-1").resolve("FAILED")).get("attempt").asInt());
        PermanentFailure f = assertThrows(PermanentFailure.class, () -> h.handle(job("logs-1", payload, 2), ctx));
        assertEquals("exit_3", f.code());

        Path logs = jobDir("logs-1").resolve("logs");
        assertEquals("first", Files.readString(logs.resolve("attempt-1/stdout.log")).strip());
        assertEquals("first-err", Files.readString(logs.resolve("attempt-1/stderr.log")).strip());
        assertEquals("note", Files.readString(logs.resolve("attempt-1/task.log")).strip());
        assertEquals("second", Files.readString(logs.resolve("stdout.log")).strip());
        assertEquals(2, readJson(jobDir("logs-1").resolve("FAILED")).get("attempt").asInt());

        JsonNode result = published.getFirst().toJson();
        assertEquals(2, result.get("attempt").asInt());
        assertEquals(3, result.get("exitCode").asInt());
        assertTrue(result.get("runMs").asLong() > 0, result.toString());
        assertTrue(result.has("downloadMs"), result.toString());
        assertTrue(result.get("durationMs").asLong() >= result.get("runMs").asLong(), result.toString());
    }

    @Test
    void aRefusedJobsResultHasNoJobDirectory() throws Exception {
        List<JobResult> published = new CopyOnWriteArrayList<>();
        AiJobHandler h = handler(tasks(shTask("t", "true", "")), new Metrics(), published::add);
        assertThrows(PermanentFailure.class, () -> h.handle(job("refused-1", "{\"task\": \"nope\"}", 3), ctx));
        JsonNode result = published.getFirst().toJson();
        assertEquals("unknown_task", result.get("error").asText());
        assertEquals(3, result.get("attempt").asInt());
        assertFalse(result.has("jobDir"), result.toString());
    }

    @Test
    void jobsAreCountedByTaskOutcomeAndErrorWithUnregisteredTaskNamesPooled() throws Exception {
        Metrics metrics = new Metrics();
        AiJobHandler h = handler(tasks(shTask("ok", "true", ""), shTask("bad", "exit 3", ""),
                shTask("flaky", "exit 75", "\"retryableExitCodes\": [75]")), metrics, ResultPublisher.NONE);
        h.handle(run("m-1", "ok"), ctx);
        h.handle(run("m-1", "ok"), ctx);
        assertThrows(PermanentFailure.class, () -> h.handle(run("m-2", "bad"), ctx));
        assertThrows(RetryableFailure.class, () -> h.handle(run("m-3", "flaky"), ctx));
        for (String name : List.of("nope-1", "nope-2", "x\"y")) {
            assertThrows(PermanentFailure.class, () -> h.handle(job("m-4", "{\"task\": " + JSON.writeValueAsString(name)
                    + "}", 1), ctx));
        }
        String text = metrics.prometheusText();
        for (String line : List.of(
                "longshore_ai_jobs_total{task=\"ok\",outcome=\"success\",error=\"\"} 1",
                "longshore_ai_jobs_total{task=\"ok\",outcome=\"duplicate\",error=\"\"} 1",
                "longshore_ai_jobs_total{task=\"bad\",outcome=\"failed\",error=\"exit_3\"} 1",
                "longshore_ai_jobs_total{task=\"flaky\",outcome=\"retry\",error=\"exit_75\"} 1",
                "longshore_ai_jobs_total{task=\"unknown\",outcome=\"failed\",error=\"unknown_task\"} 3")) {
            assertTrue(text.lines().anyMatch(line::equals), line + " in\n" + text);
        }
        assertEquals(5, text.lines().filter(l -> l.startsWith("longshore_ai_jobs_total{")).count(), text);
    }

    @Test
    void fileInputsOutsideTheFileRootsAreRefusedAndNothingIsCopied() throws Exception {
        AiJobHandler h = handler(tasks(shTask("t", "true", "")));
        Path link = tmp.resolve("innocent.txt");
        Files.createSymbolicLink(link, Path.of("/etc/hostname"));
        for (String uri : List.of("file:///proc/self/environ", link.toUri().toString(), "file:///etc/passwd")) {
            PermanentFailure f = assertThrows(PermanentFailure.class, () -> h.handle(job("roots-1",
                    "{\"task\": \"t\", \"args\": {\"a\": \"\"}, \"inputs\": [{\"uri\": \"" + uri + "\", \"name\": \"x\"}]}",
                    1), ctx), uri);
            assertEquals("input_forbidden", f.code(), f.reason());
            assertTrue(f.reason().contains("WORKER_AI_FILE_ROOTS"), f.reason());
            assertFalse(Files.exists(jobDir("roots-1").resolve("inputs/x")), "nothing copied from " + uri);
        }
    }

    @Test
    void withoutFileRootsEveryFileInputIsRefused() throws Exception {
        Path data = tmp.resolve("data.txt");
        Files.writeString(data, "payload");
        AiJobHandler h = handler(tasks(shTask("t", "true", "")), Optional.empty(), ResultPublisher.NONE, System.getenv(),
                InputFetcher.create(PrivateDestinations.none(), InputSettings.defaults()));
        for (String field : List.of("inputs", "models")) {
            PermanentFailure f = assertThrows(PermanentFailure.class, () -> h.handle(job("noroots-" + field,
                    "{\"task\": \"t\", \"args\": {\"a\": \"\"}, \"" + field + "\": [{\"uri\": \"" + data.toUri() + "\"}]}", 1), ctx));
            assertEquals("input_forbidden", f.code(), f.reason());
        }
    }

    @Test
    void httpInputsOnLoopbackOrRedirectedToMetadataAreRefused() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/model.bin", ex -> {
            ex.sendResponseHeaders(200, 5);
            ex.getResponseBody().write("model".getBytes(StandardCharsets.UTF_8));
            ex.close();
        });
        server.createContext("/to-metadata", ex -> {
            ex.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/iam/");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            String task = "{\"sum\": {\"argv\": [\"/usr/bin/true\"], \"gpus\": 0}}";
            AiJobHandler unlisted = handler(task, Optional.empty(), ResultPublisher.NONE, System.getenv(),
                    InputFetcher.create(PrivateDestinations.none(), InputSettings.defaults()));
            PermanentFailure loopback = assertThrows(PermanentFailure.class, () -> unlisted.handle(job("ssrf-1",
                    "{\"task\": \"sum\", \"inputs\": [{\"uri\": \"" + base + "/model.bin?sig=secret\"}]}", 1), ctx));
            assertEquals("input_forbidden", loopback.code());
            assertFalse(loopback.reason().contains("secret"), loopback.reason());

            AiJobHandler listed = handler(task);
            PermanentFailure metadata = assertThrows(PermanentFailure.class, () -> listed.handle(job("ssrf-2",
                    "{\"task\": \"sum\", \"inputs\": [{\"uri\": \"" + base + "/to-metadata\", \"name\": \"m\"}]}", 1), ctx));
            assertEquals("input_forbidden", metadata.code());
            assertTrue(metadata.reason().contains("169.254.169.254"), metadata.reason());

            InputSettings tiny = new InputSettings(4, FileRoots.none(InputSettings.FILE_ROOTS_VARIABLE),
                    InputSettings.DEFAULT_STALL_TIMEOUT);
            AiJobHandler capped = handler(task, Optional.empty(), ResultPublisher.NONE, System.getenv(),
                    InputFetcher.create(PrivateDestinations.parse("127.0.0.1"), tiny));
            PermanentFailure big = assertThrows(PermanentFailure.class, () -> capped.handle(job("big-1",
                    "{\"task\": \"sum\", \"inputs\": [{\"uri\": \"" + base + "/model.bin\"}]}", 1), ctx));
            assertEquals("input_too_large", big.code());
            assertTrue(big.reason().contains("WORKER_AI_MAX_INPUT_SIZE"), big.reason());
            assertFalse(Files.exists(jobDir("big-1").resolve("inputs/model.bin")));
        } finally {
            server.stop(0);
        }
    }
}
