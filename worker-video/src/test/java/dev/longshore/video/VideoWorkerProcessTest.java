package dev.longshore.video;

import static dev.longshore.testkit.TestWorkers.eventually;
import static dev.longshore.testkit.TestWorkers.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longshore.testkit.WorkerProcess;
import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.QueuePair;
import dev.longshore.video.testing.Jobs;
import dev.longshore.video.testing.Processes;
import dev.longshore.video.testing.TestClips;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** The video worker as deployed: its own JVM, ffmpeg as its child, the SQS protocol, signals. */
class VideoWorkerProcessTest {
    @TempDir
    Path tmp;

    private Map<String, String> env(EmbeddedSqs sqs, String queueUrl, String... kv) {
        Map<String, String> env = sqs.workerEnvironment(queueUrl);
        env.put("WORKER_WORK_DIR", tmp.resolve("work").toString());
        env.put("WORKER_RECEIVE_WAIT", "1s");
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return env;
    }

    private static String transcodeJob(String id, Path input, Path output) {
        return job(id, "video.transcode", "{\"input\":\"" + input.toUri() + "\",\"output\":\"" + output.toUri() + "\","
                + "\"renditions\":[{\"height\":360,\"bitrate\":\"800k\"},{\"height\":180,\"bitrate\":\"300k\"}]}");
    }

    /** Transcoding ffmpeg processes under the worker JVM (not the encoder check it runs at start). */
    private static List<ProcessHandle> transcodes(WorkerProcess w) {
        return w.process().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/ffmpeg")).orElse(false))
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains("-progress")).orElse(false))
                .toList();
    }

    /** Kills what a failed test may have left running under the worker, before the worker itself is killed. */
    private static void killDescendants(WorkerProcess w) {
        w.process().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    private static List<Message> receive(EmbeddedSqs sqs, String url, int waitSeconds) {
        return sqs.client().receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(waitSeconds).visibilityTimeout(60)
                .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .messages();
    }

    @Test
    @Timeout(120)
    void corruptInputGoesToTheDeadLetterQueueWithItsReason() throws Exception {
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            QueuePair q = sqs.createQueueWithDeadLetter("video-corrupt", 5, Duration.ofSeconds(30));
            String results = sqs.createQueue("video-results", Map.of());
            Path garbage = TestClips.garbage(tmp);
            String body = transcodeJob("broken-upload", garbage, tmp.resolve("out/broken"));
            sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(body));
            try (WorkerProcess w = WorkerProcess.start(Main.class, env(sqs, q.queueUrl(),
                    "WORKER_RESULT_QUEUE_URL", results))) {
                List<Message> dead = new ArrayList<>();
                assertTrue(eventually(Duration.ofSeconds(60), () -> dead.addAll(receive(sqs, q.deadLetterQueueUrl(), 0))
                        && !dead.isEmpty()), "dead-lettered\n" + w.stdout() + w.stderr());
                Message m = dead.getFirst();
                assertEquals(body, m.body(), "the original body is kept");
                assertEquals("input_unreadable", m.messageAttributes().get("longshore.error").stringValue());
                String reason = m.messageAttributes().get("longshore.reason").stringValue();
                assertTrue(reason.contains("Invalid data found when processing input"), reason);

                List<Message> result = receive(sqs, results, 5);
                assertEquals(1, result.size());
                JsonNode r = Jobs.JSON.readTree(result.getFirst().body());
                assertEquals("broken-upload", r.path("jobId").asText());
                assertEquals("failed", r.path("status").asText());
                assertEquals("input_unreadable", r.path("error").asText());

                w.sigterm();
                assertEquals(0, w.awaitExit(Duration.ofSeconds(15)));
                assertEquals("", w.stderr());
                assertFalse(Files.exists(tmp.resolve("out/broken")));
            }
        }
    }

    /**
     * A transcode several times longer than the queue's visibility timeout: the message must stay invisible
     * (the test keeps asking the queue for it) and be deleted once, after the output is published.
     */
    @Test
    @Timeout(180)
    void transcodeLongerThanTheVisibilityTimeoutIsNotDeliveredTwice() throws Exception {
        // veryslow on one thread makes a 6 s clip take several seconds here: longer than the 2 s visibility.
        Path input = TestClips.clip(640, 360, 6, true);
        Path out = tmp.resolve("out/long");
        int port = EmbeddedSqs.freePort();
        try (EmbeddedSqs sqs = EmbeddedSqs.start(); HttpClient http = HttpClient.newHttpClient()) {
            QueuePair q = sqs.createQueueWithDeadLetter("video-long", 5, Duration.ofSeconds(2));
            String results = sqs.createQueue("video-long-results", Map.of());
            sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl()).messageBody(transcodeJob("long-one", input, out)));
            try (WorkerProcess w = WorkerProcess.start(Main.class, env(sqs, q.queueUrl(),
                    "WORKER_VISIBILITY_TIMEOUT", "2s", "WORKER_VIDEO_PRESET", "veryslow", "WORKER_VIDEO_THREADS", "1",
                    "WORKER_HEALTH_PORT", String.valueOf(port), "WORKER_RESULT_QUEUE_URL", results))) {
                try {
                    assertTrue(eventually(Duration.ofSeconds(30), () -> !transcodes(w).isEmpty()), "ffmpeg started\n" + w.stdout());
                    long started = System.nanoTime();
                    double midway = -1;
                    List<Message> stolen = new ArrayList<>();
                    while (!Files.exists(out.resolve("manifest.json")) && System.nanoTime() - started < 120e9) {
                        stolen.addAll(receive(sqs, q.queueUrl(), 1));
                        assertEquals(List.of(), stolen, "the message became visible during the transcode\n" + w.stdout());
                        double p = gauge(http, port, "longshore_video_progress_ratio");
                        if (p > 0 && p < 1) {
                            midway = p;
                        }
                    }
                    assertTrue(Files.exists(out.resolve("manifest.json")), "published\n" + w.stdout());
                    assertTrue(midway > 0, "progress was visible as a metric while the transcode ran");
                    assertTrue(w.stdout().contains("transcode 50%"), "progress is logged");
                    assertTrue(eventually(Duration.ofSeconds(10), () -> gauge(http, port,
                            "longshore_messages_processed_total{outcome=\"success\"}") == 1));
                    // What shows the transcode outlasted the 2 s visibility, on a fast machine or a slow one.
                    assertTrue(gauge(http, port, "longshore_visibility_extensions_total") >= 2,
                            "the message was kept invisible by extending its visibility at least twice");

                    assertEquals(List.of(), receive(sqs, q.queueUrl(), 3), "deleted after success, never redelivered");
                    List<Message> result = receive(sqs, results, 5);
                    assertEquals(1, result.size());
                    assertEquals("succeeded", Jobs.JSON.readTree(result.getFirst().body()).path("status").asText());
                    assertTrue(TestClips.probe(out.resolve("180p/index.m3u8"), "stream=height").contains("height=180"));

                    w.sigterm();
                    assertEquals(0, w.awaitExit(Duration.ofSeconds(15)));
                    assertEquals("", w.stderr());
                } finally {
                    killDescendants(w);
                }
            }
        }
    }

    @Test
    @Timeout(120)
    void drainKillsFfmpegAndReleasesTheMessage() throws Exception {
        Path input = TestClips.clip(640, 360, 30, true);
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            QueuePair q = sqs.createQueueWithDeadLetter("video-drain", 5, Duration.ofSeconds(60));
            sqs.client().sendMessage(r -> r.queueUrl(q.queueUrl())
                    .messageBody(transcodeJob("interrupted", input, tmp.resolve("out/drain"))));
            // The JVM is told it has one CPU, as in a container limited to one; the host here has more.
            try (WorkerProcess w = WorkerProcess.start(Main.class, env(sqs, q.queueUrl(),
                    "WORKER_DRAIN_TIMEOUT", "1s", "WORKER_VIDEO_PRESET", "veryslow",
                    "JAVA_TOOL_OPTIONS", "-XX:ActiveProcessorCount=1"))) {
                try {
                    assertTrue(eventually(Duration.ofSeconds(30), () -> !transcodes(w).isEmpty()), "ffmpeg started\n" + w.stdout());
                    List<ProcessHandle> ffmpeg = transcodes(w);
                    List<String> args = List.of(ffmpeg.getFirst().info().arguments().orElseThrow());
                    assertEquals("1", args.get(args.indexOf("-threads") + 1), "ffmpeg follows the JVM's CPU allowance: " + args);
                    long sent = System.nanoTime();
                    w.sigterm();
                    assertEquals(0, w.awaitExit(Duration.ofSeconds(20)), w.stderr());
                    double exitSeconds = (System.nanoTime() - sent) / 1e9;
                    assertTrue(exitSeconds < 10, "drain deadline 1 s, exit after " + exitSeconds + " s");
                    for (ProcessHandle p : ffmpeg) {
                        assertFalse(Processes.isRunning(p.pid()), "ffmpeg " + p.pid() + " was killed");
                    }
                    assertTrue(w.stdout().contains("transcode cancelled"), w.stdout());

                    // Released at once (visibility 0), not after the queue's 60 s.
                    List<Message> again = receive(sqs, q.queueUrl(), 5);
                    assertEquals(1, again.size(), "the message is back in the queue\n" + w.stdout());
                    assertEquals("2", again.getFirst().attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
                    assertEquals("Picked up JAVA_TOOL_OPTIONS: -XX:ActiveProcessorCount=1", w.stderr().strip(),
                            "nothing on stderr but the JVM's note about the CPU flag");
                    assertFalse(Files.exists(tmp.resolve("out/drain")), "nothing half-written is published");
                } finally {
                    killDescendants(w);
                }
            }
        }
    }

    @Test
    @Timeout(60)
    void missingFfmpegExitsTwoWithOneLine() throws Exception {
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            QueuePair q = sqs.createQueueWithDeadLetter("video-cfg", 5, Duration.ofSeconds(30));
            String missing = tmp.resolve("bin/ffmpeg").toString();
            try (WorkerProcess w = WorkerProcess.start(Main.class, env(sqs, q.queueUrl(), "WORKER_FFMPEG", missing))) {
                assertEquals(2, w.awaitExit(Duration.ofSeconds(30)));
                List<String> lines = w.stderr().lines().toList();
                assertEquals(1, lines.size(), w.stderr());
                assertTrue(lines.getFirst().startsWith("configuration error: WORKER_FFMPEG=\"" + missing + "\""), lines.getFirst());
            }
            Path notFfmpeg = Processes.script(tmp, "ffmpeg", "echo 'not really ffmpeg'\n");
            try (WorkerProcess w = WorkerProcess.start(Main.class, env(sqs, q.queueUrl(),
                    "WORKER_FFMPEG", notFfmpeg.toString(), "WORKER_FFPROBE", "ffprobe"))) {
                assertEquals(2, w.awaitExit(Duration.ofSeconds(30)));
                List<String> lines = w.stderr().lines().toList();
                assertEquals(1, lines.size(), w.stderr());
                assertTrue(lines.getFirst().contains("WORKER_FFMPEG") && lines.getFirst().contains("libx264"),
                        lines.getFirst());
            }
        }
    }

    private static double gauge(HttpClient http, int port, String name) {
        try {
            String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(text);
            return m.find() ? Double.parseDouble(m.group(1)) : Optional.<Double>empty().orElse(-1.0);
        } catch (Exception e) {
            return -1;
        }
    }
}
