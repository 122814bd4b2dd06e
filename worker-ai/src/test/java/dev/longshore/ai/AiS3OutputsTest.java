package dev.longshore.ai;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshore.ai.output.S3JobOutputs;
import dev.longshore.ai.result.JobResult;
import dev.longshore.ai.runner.InputFetcher;
import dev.longshore.ai.runner.InputSettings;
import dev.longshore.ai.runner.JobsDirectory;
import dev.longshore.ai.runner.ProcessRunner;
import dev.longshore.ai.task.TaskRegistry;
import dev.longshore.core.config.ConfigException;
import dev.longshore.core.config.Env;
import dev.longshore.core.files.FileRoots;
import dev.longshore.core.http.PrivateDestinations;
import dev.longshore.core.job.Job;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import dev.longshore.core.metrics.Counter;
import dev.longshore.core.storage.S3Address;
import dev.longshore.core.storage.S3Settings;
import dev.longshore.testkit.FakeJobContext;
import dev.longshore.testkit.s3.FakeS3Server;
import dev.longshore.testkit.s3.TestS3;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WORKER_AI_OUTPUT_PREFIX (docs/ai.md: Outputs on S3), against the test kit's wire-level S3 server: what is
 * uploaded and in which order, what the result says, and that a redelivery on another instance is checked against
 * the uploaded manifest.
 */
class AiS3OutputsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "results";
    private static final S3Address.Plain PREFIX = S3Address.of(BUCKET, "ai/");

    @TempDir
    Path tmp;
    private FakeS3Server server;
    private final List<JobResult> results = new CopyOnWriteArrayList<>();
    private final Counter duplicates = new Counter();
    private final FakeJobContext ctx = new FakeJobContext();
    private Path runs;

    @BeforeEach
    void start() throws Exception {
        server = FakeS3Server.start(BUCKET);
        runs = tmp.resolve("runs");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A handler of one "instance": its own jobs directory, the shared S3 server. */
    private AiJobHandler instance(String name) throws Exception {
        Path tasks = tmp.resolve("tasks.json");
        Files.writeString(tasks, """
                {"write": {"argv": ["/bin/sh", "-c", "echo run >> \\"$1\\"; printf hello > \\"$OUTPUT_DIR/out.txt\\"; \
                mkdir -p \\"$OUTPUT_DIR/sub\\" && printf x > \\"$OUTPUT_DIR/sub/y.bin\\"; echo done; echo note >&2", \
                "sh", "${arg.runs}"], "gpus": 0}}
                """);
        InputSettings inputs = new InputSettings(InputSettings.DEFAULT_MAX_BYTES,
                FileRoots.parse(InputSettings.FILE_ROOTS_VARIABLE, tmp.toString(), ':'),
                InputSettings.DEFAULT_STALL_TIMEOUT);
        AiJobHandler local = new AiJobHandler(TaskRegistry.load(tasks), "test tasks",
                new JobsDirectory(tmp.resolve(name)),
                InputFetcher.create(PrivateDestinations.parse("127.0.0.1"), inputs),
                new ProcessRunner(java.time.Duration.ofMillis(300)), Optional.empty(), results::add, System.getenv(),
                Clock.systemUTC(), duplicates);
        S3Settings settings = TestS3.settings(server, S3Settings.MIN_PART_SIZE, S3Settings.MIN_PART_SIZE);
        return local.uploadingTo(new S3JobOutputs(TestS3.storage(settings), PREFIX));
    }

    private Job job(String id, int receiveCount) throws Exception {
        return new Job(id, "ai.run", (ObjectNode) JSON.readTree("{\"task\": \"write\", \"args\": {\"runs\": \""
                + runs + "\"}}"), receiveCount, "msg-" + id, Optional.empty());
    }

    private int runCount() throws Exception {
        return Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
    }

    @Test
    void outputsAndLogsAreUploadedBeforeTheManifestAndTheResultCarriesTheirUris() throws Exception {
        try (AiJobHandler h = instance("a")) {
            h.handle(job("job-1", 1), ctx);
        }
        List<String> writes = server.writes();
        assertEquals(List.of("results/ai/job-1/outputs/out.txt", "results/ai/job-1/outputs/sub/y.bin",
                "results/ai/job-1/logs/stderr.log", "results/ai/job-1/logs/stdout.log",
                "results/ai/job-1/manifest.json"), writes, "manifest last, after every object it names");
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), server.get(BUCKET, "ai/job-1/outputs/out.txt"));
        assertEquals("done\n", new String(server.get(BUCKET, "ai/job-1/logs/stdout.log"), StandardCharsets.UTF_8));

        JobResult result = results.getFirst();
        assertEquals(JobResult.Status.SUCCESS, result.status());
        assertEquals(Optional.of("s3://results/ai/job-1/manifest.json"), result.manifest());
        assertEquals(List.of(Optional.of("s3://results/ai/job-1/outputs/out.txt"),
                Optional.of("s3://results/ai/job-1/outputs/sub/y.bin")),
                result.outputs().stream().map(o -> o.uri()).toList());
        JsonNode message = JSON.readTree(result.toJsonText());
        assertEquals("s3://results/ai/job-1/outputs/out.txt", message.at("/outputs/0/uri").asText());
        assertEquals("s3://results/ai/job-1/manifest.json", message.get("manifest").asText());
        assertFalse(message.has("jobDir"), "the directory is gone: " + message);

        JsonNode manifest = JSON.readTree(server.get(BUCKET, "ai/job-1/manifest.json"));
        assertEquals("job-1", manifest.get("jobId").asText());
        assertEquals("s3://results/ai/job-1/outputs/sub/y.bin", manifest.at("/outputs/1/uri").asText());
    }

    @Test
    void theLocalJobDirectoryIsRemovedAfterASuccessfulUpload() throws Exception {
        try (AiJobHandler h = instance("a")) {
            h.handle(job("job-2", 1), ctx);
        }
        assertFalse(Files.exists(tmp.resolve("a/job-2")));
        try (var left = Files.list(tmp.resolve("a"))) {
            assertEquals(List.of(), left.toList(), "no trash left either");
        }
    }

    @Test
    void aRedeliveryOnAnotherInstanceIsAcknowledgedWithoutRunningAndReSendsTheResult() throws Exception {
        try (AiJobHandler first = instance("a")) {
            first.handle(job("job-3", 1), ctx);
        }
        int putsAfterFirst = server.requests("PutObject").size();
        try (AiJobHandler other = instance("b")) {
            other.handle(job("job-3", 2), ctx);
        }
        assertEquals(1, runCount(), "the task ran once");
        assertEquals(1, duplicates.value());
        assertEquals(putsAfterFirst, server.requests("PutObject").size(), "nothing uploaded again");
        assertEquals(2, results.size());
        assertEquals(results.get(0).outputs(), results.get(1).outputs(), "the same URIs, from the uploaded manifest");
        assertEquals(results.get(0).manifest(), results.get(1).manifest());
        assertFalse(Files.exists(tmp.resolve("b/job-3")), "the other instance made no directory");
    }

    @Test
    void aManifestOfAnotherJobUnderTheJobsKeyIsNeverOverwritten() throws Exception {
        server.put(BUCKET, "ai/job-4/manifest.json", "{\"jobId\":\"someone-else\",\"status\":\"SUCCESS\"}"
                .getBytes(StandardCharsets.UTF_8));
        try (AiJobHandler h = instance("a")) {
            PermanentFailure f = assertThrows(PermanentFailure.class, () -> h.handle(job("job-4", 1), ctx));
            assertEquals("output_exists", f.code());
        }
        assertEquals(0, runCount());
    }

    @Test
    void accessDeniedIsPermanentOutputForbidden() throws Exception {
        server.deny(BUCKET, "PutObject");
        try (AiJobHandler h = instance("a")) {
            PermanentFailure f = assertThrows(PermanentFailure.class, () -> h.handle(job("job-5", 1), ctx));
            assertEquals("output_forbidden", f.code(), f.reason());
        }
        assertFalse(server.writes().contains("results/ai/job-5/manifest.json"));
        assertTrue(Files.exists(tmp.resolve("a/job-5/FAILED")), "the directory stays, with the reason");
        assertEquals(JobResult.Status.FAILED, results.getFirst().status());
        assertEquals(Optional.of("output_forbidden"), results.getFirst().error());
    }

    @Test
    void aMissingBucketIsPermanentOutputBucketMissing() throws Exception {
        server.close();
        server = FakeS3Server.start("other");
        try (AiJobHandler h = instance("a")) {
            PermanentFailure f = assertThrows(PermanentFailure.class, () -> h.handle(job("job-6", 1), ctx));
            assertEquals("output_bucket_missing", f.code());
        }
    }

    @Test
    void aFailingUploadIsRetriedWithoutAManifestAndTheRetryRunsAgain() throws Exception {
        // More failures than the SDK's own retries of a 500 use up in one delivery.
        server.failNext("PutObject", 6, 500, "InternalError");
        int deliveries = 0;
        try (AiJobHandler h = instance("a")) {
            while (!server.writes().contains("results/ai/job-7/manifest.json") && deliveries < 6) {
                deliveries++;
                try {
                    h.handle(job("job-7", deliveries), ctx);
                } catch (RetryableFailure f) {
                    assertEquals("output_upload_failed", f.code(), f.reason());
                    assertFalse(server.writes().contains("results/ai/job-7/manifest.json"), "no manifest: not done");
                    assertFalse(Files.exists(tmp.resolve("a/job-7/SUCCESS")));
                }
            }
        }
        assertTrue(deliveries > 1, "the first delivery failed");
        assertTrue(server.writes().contains("results/ai/job-7/manifest.json"), server.writes().toString());
        assertEquals(deliveries, runCount(), "each retry runs the task again");
    }

    @Test
    void theOutputPrefixIsAnS3PrefixAndUnsetKeepsOutputsOnDisk() {
        assertEquals(Optional.empty(), AiConfig.outputPrefix(env(Map.of())));
        assertEquals(S3Address.of("results", "ai/"),
                AiConfig.outputPrefix(env(Map.of("WORKER_AI_OUTPUT_PREFIX", "s3://results/ai"))).orElseThrow());
        assertEquals(S3Address.of("results", ""),
                AiConfig.outputPrefix(env(Map.of("WORKER_AI_OUTPUT_PREFIX", "s3://results/"))).orElseThrow());
        for (String bad : List.of("/tmp/out", "s3://Bad_Bucket/x/", "s3://results/a/../b/", "s3://results//x/")) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> AiConfig.outputPrefix(env(Map.of("WORKER_AI_OUTPUT_PREFIX", bad))), bad);
            assertEquals("WORKER_AI_OUTPUT_PREFIX", e.variable());
        }
    }

    private static Env env(Map<String, String> values) {
        return new Env(values);
    }
}
