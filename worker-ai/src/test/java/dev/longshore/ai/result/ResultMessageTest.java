package dev.longshore.ai.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshore.ai.AiJobHandler;
import dev.longshore.ai.runner.InputFetcher;
import dev.longshore.ai.runner.InputSettings;
import dev.longshore.core.http.PrivateDestinations;
import dev.longshore.ai.runner.JobsDirectory;
import dev.longshore.ai.runner.ProcessRunner;
import dev.longshore.ai.task.TaskRegistry;
import dev.longshore.testkit.FakeJobContext;
import dev.longshore.core.job.Job;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import dev.longshore.core.metrics.Counter;
import dev.longshore.core.queue.SqsQueueClient;
import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.TestWorkers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

class ResultMessageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedSqs sqs;
    private static SqsQueueClient queues;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        sqs = EmbeddedSqs.start();
        queues = TestWorkers.client(sqs);
    }

    /** What the worker wires: the core publisher on the worker's own queue client. */
    private static ResultPublisher publisherTo(String queueUrl) {
        return new QueueResultPublisher(new dev.longshore.core.queue.ResultPublisher(queues, queueUrl));
    }

    @AfterAll
    static void stop() {
        queues.close();
        sqs.close();
    }

    private AiJobHandler handler(ResultPublisher results) throws Exception {
        Files.writeString(dir.resolve("tasks.json"), """
                {"ok": {"argv": ["/bin/sh", "-c", "printf 42 > \\"$OUTPUT_DIR/answer\\""], "gpus": 0},
                 "many": {"argv": ["/bin/sh", "-c", "cd \\"$OUTPUT_DIR\\" && seq -f 'frame-%05g.png' 1 8000 | xargs touch"], "gpus": 0},
                 "bad": {"argv": ["/bin/sh", "-c", "exit 2"], "gpus": 0}}""");
        return new AiJobHandler(TaskRegistry.load(dir.resolve("tasks.json")), "test", new JobsDirectory(dir.resolve("jobs")),
                InputFetcher.create(PrivateDestinations.none(), InputSettings.defaults()), new ProcessRunner(), Optional.empty(), results, System.getenv(),
                Clock.systemUTC(), new Counter());
    }

    private static Job job(String id, String task, int receiveCount) throws Exception {
        return new Job(id, "ai.run", (ObjectNode) JSON.readTree("{\"task\": \"" + task + "\"}"), receiveCount, "m",
                Optional.empty());
    }

    private List<JsonNode> receive(String queueUrl, int expected) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < 10 && out.size() < expected; i++) {
            for (Message m : sqs.client().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1)).messages()) {
                out.add(JSON.readTree(m.body()));
                sqs.client().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
        return out;
    }

    @Test
    void aResultIsSentWhenAJobSucceedsOrFailsForGood() throws Exception {
        String results = sqs.createQueue("results-1", java.util.Map.of());
        AiJobHandler h = handler(publisherTo(results));
        h.handle(job("r-ok", "ok", 1), new FakeJobContext());
        assertThrows(PermanentFailure.class, () -> h.handle(job("r-bad", "bad", 1), new FakeJobContext()));

        List<JsonNode> messages = receive(results, 2);
        assertEquals(2, messages.size(), messages.toString());
        JsonNode ok = messages.stream().filter(m -> m.get("jobId").asText().equals("r-ok")).findFirst().orElseThrow();
        assertEquals("SUCCESS", ok.get("status").asText());
        assertEquals("ok", ok.get("task").asText());
        assertEquals("answer", ok.get("outputs").get(0).get("path").asText());
        assertEquals(2, ok.get("outputs").get(0).get("size").asLong());
        assertTrue(ok.get("durationMs").asLong() >= 0);
        JsonNode bad = messages.stream().filter(m -> m.get("jobId").asText().equals("r-bad")).findFirst().orElseThrow();
        assertEquals("FAILED", bad.get("status").asText());
        assertEquals("exit_2", bad.get("error").asText());
    }

    @Test
    void aRedeliveredSuccessSendsItsResultAgainWithoutRunning() throws Exception {
        String results = sqs.createQueue("results-2", java.util.Map.of());
        AiJobHandler h = handler(publisherTo(results));
        h.handle(job("again", "ok", 1), new FakeJobContext());
        Files.delete(dir.resolve("jobs/again/outputs/answer"));
        h.handle(job("again", "ok", 2), new FakeJobContext());
        List<JsonNode> messages = receive(results, 2);
        assertEquals(2, messages.size());
        assertEquals(messages.get(0), messages.get(1), "the same result, read back from the manifest");
        assertTrue(Files.notExists(dir.resolve("jobs/again/outputs/answer")), "the task did not run again");
    }

    @Test
    void anUndeliverableResultRetriesTheJobWhichThenOnlyResendsIt() throws Exception {
        List<String> sent = new ArrayList<>();
        boolean[] down = {true};
        AiJobHandler h = handler(result -> {
            if (down[0]) {
                throw new IllegalStateException("result queue unreachable");
            }
            sent.add(result.jobId());
        });
        RetryableFailure f = assertThrows(RetryableFailure.class, () -> h.handle(job("unsent", "ok", 1),
                new FakeJobContext()));
        assertEquals("result_not_sent", f.code());
        assertTrue(Files.exists(dir.resolve("jobs/unsent/SUCCESS")));
        assertTrue(Files.notExists(dir.resolve("jobs/unsent/FAILED")));
        down[0] = false;
        h.handle(job("unsent", "ok", 2), new FakeJobContext());
        assertEquals(List.of("unsent"), sent);
    }

    @Test
    void aSuccessWithEightThousandOutputsIsSentTrimmedAndFlaggedNotDeadLettered() throws Exception {
        String results = sqs.createQueue("results-many", java.util.Map.of());
        AiJobHandler h = handler(publisherTo(results));
        h.handle(job("many-1", "many", 1), new FakeJobContext());

        List<Message> raw = sqs.client().receiveMessage(b -> b.queueUrl(results).waitTimeSeconds(5)).messages();
        assertEquals(1, raw.size());
        String body = raw.getFirst().body();
        assertTrue(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                <= dev.longshore.core.queue.ResultPublisher.MAX_BODY_BYTES, "fits one message");
        JsonNode result = JSON.readTree(body);
        assertEquals("SUCCESS", result.get("status").asText());
        assertTrue(result.get("outputsTruncated").asBoolean());
        assertEquals(8000, result.get("outputCount").asInt());
        int listed = result.get("outputs").size();
        assertTrue(listed > 100 && listed < 8000, "as many as fit, in path order: " + listed);
        assertEquals("frame-00001.png", result.get("outputs").get(0).get("path").asText());
        Path manifest = Path.of(result.get("manifest").asText());
        assertEquals(8000, JSON.readTree(manifest.toFile()).get("outputs").size(), "the manifest lists them all");
    }
}
