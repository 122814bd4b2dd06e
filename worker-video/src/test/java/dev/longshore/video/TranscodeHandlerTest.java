package dev.longshore.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longshore.core.config.Env;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import dev.longshore.core.metrics.Metrics;
import dev.longshore.core.storage.S3ObjectStore;
import dev.longshore.core.storage.S3Settings;
import dev.longshore.video.config.VideoSettings;
import dev.longshore.video.result.ResultSink;
import dev.longshore.testkit.s3.FakeS3Server;
import dev.longshore.video.testing.Handlers;
import dev.longshore.video.testing.Jobs;
import dev.longshore.video.testing.Processes;
import dev.longshore.testkit.FakeJobContext;
import dev.longshore.video.testing.RecordingResultSink;
import dev.longshore.video.testing.TestClips;
import dev.longshore.testkit.s3.TestS3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class TranscodeHandlerTest {
    @TempDir
    Path tmp;
    private final Metrics metrics = new Metrics();
    private final RecordingResultSink results = new RecordingResultSink();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private TranscodeHandler handler(String... kv) {
        return handler(null, kv);
    }

    private TranscodeHandler handler(S3ObjectStore s3, String... kv) {
        VideoSettings settings = Handlers.settings(tmp, kv);
        S3ObjectStore storage = s3 != null ? s3 : Handlers.noS3(settings);
        TranscodeHandler h = new TranscodeHandler(settings, storage, results, new VideoMetrics(metrics), Clock.systemUTC());
        toClose.add(h);
        return h;
    }

    private static String uri(Path p) {
        return p.toUri().toString();
    }

    /** A two-second 240-line clip to one 144-line rendition: the quickest job that publishes. */
    private static String oneSmallRendition(Path out) throws Exception {
        return Handlers.payload(TestClips.clip(426, 240, 2, true), out,
                "\"renditions\":[{\"height\":144,\"bitrate\":\"200k\"}]");
    }

    private String probe(Path file, String entries) throws Exception {
        return TestClips.probe(file, entries);
    }

    private List<Path> workLeftovers() throws Exception {
        try (Stream<Path> s = Files.list(tmp.resolve("work"))) {
            return s.toList();
        }
    }

    @Test
    void transcodesToTwoRenditionsThatFfprobeCanRead() throws Exception {
        Path input = TestClips.clip(426, 240, 3, true);
        Path out = tmp.resolve("published/clip-1");
        FakeJobContext ctx = new FakeJobContext();
        handler().handle(Jobs.transcode("clip-1", "{\"input\":\"" + uri(input) + "\",\"output\":\"" + uri(out) + "\","
                + "\"renditions\":[{\"height\":240,\"bitrate\":\"400k\"},{\"height\":144,\"bitrate\":\"200k\","
                + "\"audioBitrate\":\"64k\"}],\"segmentSeconds\":1,\"thumbnail\":true}"), ctx);

        String master = Files.readString(out.resolve("master.m3u8"));
        assertTrue(master.contains("RESOLUTION=426x240") && master.contains("240p/index.m3u8"), master);
        assertTrue(master.contains("RESOLUTION=256x144") && master.contains("144p/index.m3u8"), master);
        assertTrue(probe(out.resolve("240p/index.m3u8"), "stream=height").contains("height=240"));
        assertTrue(probe(out.resolve("144p/index.m3u8"), "stream=width,height").contains("width=256\nheight=144"));
        String duration = probe(out.resolve("144p/index.m3u8"), "format=duration");
        assertEquals(3.0, Double.parseDouble(duration.strip().substring("duration=".length())), 0.3, duration);
        try (Stream<Path> segments = Files.list(out.resolve("144p"))) {
            List<Path> ts = segments.filter(p -> p.toString().endsWith(".ts")).toList();
            assertTrue(ts.size() >= 3, "1 s segments of a 3 s clip: " + ts);
            for (Path segment : ts) {
                String streams = probe(segment, "stream=codec_name");
                assertTrue(streams.contains("h264") && streams.contains("aac"), segment + ": " + streams);
            }
        }
        assertTrue(probe(out.resolve("thumbnail.jpg"), "stream=width,height").contains("width=426\nheight=240"),
                "thumbnail no taller than the source");

        JsonNode manifest = Jobs.JSON.readTree(out.resolve("manifest.json").toFile());
        assertEquals("clip-1", manifest.path("jobId").asText());
        assertEquals(3.0, manifest.path("durationSeconds").asDouble(), 0.1);
        assertEquals(List.of("240p", "144p"), manifest.path("renditions").findValuesAsText("name"));
        long onDisk = 0;
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.endsWith("manifest.json")).toList()) {
                onDisk += Files.size(f);
            }
        }
        assertEquals(onDisk, manifest.path("totalSizeBytes").asLong(), "sizes in the manifest match the files");

        assertEquals(1.0, ctx.progress().getLast());
        assertTrue(metrics.prometheusText().contains("longshore_video_transcodes_running 0.0"));
        assertEquals("succeeded", results.sent().getFirst().path("status").asText());
        assertEquals(List.of(), workLeftovers(), "scratch is removed");
    }

    @Test
    void neverUpscalesPastTheSource() throws Exception {
        Path input = TestClips.clip(426, 240, 2, false);
        Path out = tmp.resolve("published/small");
        handler().handle(Jobs.transcode("small", "{\"input\":\"" + uri(input) + "\",\"output\":\"" + uri(out) + "\"}"),
                new FakeJobContext());
        String master = Files.readString(out.resolve("master.m3u8"));
        assertFalse(master.contains("1080p") || master.contains("720p") || master.contains("480p")
                || master.contains("360p"), "no rung above the 240-line source: " + master);
        assertTrue(master.contains("240p/index.m3u8"), master);
        String streams = probe(out.resolve("240p/index.m3u8"), "stream=codec_type,height");
        assertTrue(streams.contains("height=240") && !streams.contains("audio"), streams);
    }

    @Test
    void redeliveredJobWithPublishedManifestIsAcknowledgedWithoutTranscoding() throws Exception {
        Path out = tmp.resolve("published/again");
        String payload = oneSmallRendition(out);
        handler().handle(Jobs.transcode("again", payload), new FakeJobContext());
        String manifest = Files.readString(out.resolve("manifest.json"));

        Path marker = tmp.resolve("ffmpeg-ran");
        Path tattletale = Processes.script(tmp, "ffmpeg", "touch " + marker + "\nexit 1\n");
        handler("WORKER_FFMPEG", tattletale.toString(), "WORKER_FFPROBE", "ffprobe")
                .handle(Jobs.transcode("again", payload, 2), new FakeJobContext());

        assertFalse(Files.exists(marker), "ffmpeg was not run again");
        assertEquals(manifest, Files.readString(out.resolve("manifest.json")));
        assertTrue(metrics.prometheusText().contains("longshore_video_already_published_total 1"));
        assertTrue(results.sent().getLast().path("alreadyPublished").asBoolean());
    }

    @Test
    void outputOfAnotherJobIsNeverOverwritten() throws Exception {
        Path out = tmp.resolve("published/shared");
        String payload = oneSmallRendition(out);
        handler().handle(Jobs.transcode("first", payload), new FakeJobContext());
        PermanentFailure f = assertThrows(PermanentFailure.class,
                () -> handler().handle(Jobs.transcode("second", payload), new FakeJobContext()));
        assertEquals("output_exists", f.code());
        assertTrue(f.reason().contains("job first"), f.reason());
    }

    @Test
    void corruptInputFailsPermanentlyWithTheReason() throws Exception {
        Path out = tmp.resolve("published/corrupt");
        PermanentFailure f = assertThrows(PermanentFailure.class, () -> handler().handle(Jobs.transcode("corrupt",
                "{\"input\":\"" + uri(TestClips.garbage(tmp)) + "\",\"output\":\"" + uri(out) + "\"}"),
                new FakeJobContext()));
        assertEquals("input_unreadable", f.code());
        assertFalse(Files.exists(out), "nothing is published");
        JsonNode result = results.sent().getLast();
        assertEquals("failed", result.path("status").asText());
        assertEquals("input_unreadable", result.path("error").asText());
        assertEquals(List.of(), workLeftovers());
    }

    @Test
    void fileLocationsOutsideTheConfiguredRootsAreRefused() throws Exception {
        Path media = Files.createDirectories(tmp.resolve("media"));
        Path inside = Files.copy(TestClips.clip(426, 240, 2, true), media.resolve("clip.mp4"));
        TranscodeHandler h = handler("WORKER_VIDEO_FILE_ROOTS", media.toString());
        PermanentFailure in = assertThrows(PermanentFailure.class, () -> h.handle(Jobs.transcode("out-of-root",
                "{\"input\":\"" + uri(TestClips.clip(426, 240, 2, true)) + "\",\"output\":\"" + uri(media.resolve("o1"))
                        + "\"}"), new FakeJobContext()));
        assertEquals("input_forbidden", in.code());
        PermanentFailure out = assertThrows(PermanentFailure.class, () -> h.handle(Jobs.transcode("out-of-root",
                "{\"input\":\"" + uri(inside) + "\",\"output\":\"" + uri(tmp.resolve("elsewhere")) + "\"}"),
                new FakeJobContext()));
        assertEquals("output_forbidden", out.code());
        assertTrue(out.reason().contains("WORKER_VIDEO_FILE_ROOTS"), out.reason());
    }

    @Test
    void invalidPayloadIsPermanentAndNamesTheField() {
        PermanentFailure f = assertThrows(PermanentFailure.class, () -> handler().handle(
                Jobs.transcode("bad", "{\"input\":\"-i\",\"output\":\"file:///tmp/x\"}"), new FakeJobContext()));
        assertEquals("invalid_payload", f.code());
        assertTrue(f.reason().startsWith("input"), f.reason());
    }

    /**
     * A file and an output directory named like ffmpeg options are transcoded as ordinary names: ffmpeg's
     * argument list, recorded by a wrapper, holds none of the message's strings.
     */
    @Test
    void optionLikeNamesInTheMessageAreInert() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("-i"));
        Path input = Files.copy(TestClips.clip(426, 240, 2, true), dir.resolve("-y.mp4"));
        Path out = tmp.resolve("-f").resolve("-filter_complex");
        Path args = tmp.resolve("ffmpeg-args.txt");
        Path wrapper = Processes.script(tmp, "ffmpeg", "printf '%s\\n' \"$@\" >> " + args + "\nexec ffmpeg \"$@\"\n");
        handler("WORKER_FFMPEG", wrapper.toString(), "WORKER_FFPROBE", "ffprobe").handle(Jobs.transcode("inert",
                "{\"input\":\"" + uri(input) + "\",\"output\":\"" + uri(out) + "\",\"thumbnail\":true}"),
                new FakeJobContext());

        assertTrue(Files.exists(out.resolve("manifest.json")));
        assertTrue(Files.exists(out.resolve("240p/index.m3u8")));
        String recorded = Files.readString(args);
        assertFalse(recorded.contains("-y.mp4") || recorded.contains("/-i/") || recorded.contains("-filter_complex/")
                || recorded.contains(tmp.resolve("-f").toString()), "message strings reached ffmpeg:\n" + recorded);
        assertFalse(Files.exists(Path.of("-y.mp4")) || Files.exists(Path.of("-filter_complex")),
                "nothing written to the working directory");
    }

    /** A stand-in for ffmpeg that reports once, starts a child, then hangs; real ffprobe reads the input. */
    private Path hangingFfmpeg() throws Exception {
        return Processes.script(tmp, "ffmpeg", """
                case "$*" in *-encoders*) echo ' V..... libx264'; echo ' A..... aac'; exit 0;; esac
                sleep 300 &
                echo $! > "$(dirname "$0")/child.pid"
                echo frame=1
                echo out_time_us=40000
                echo progress=continue
                wait
                """);
    }

    private long childPid() throws Exception {
        return Processes.awaitPid(tmp.resolve("child.pid"), Duration.ofSeconds(5));
    }

    private String clipJob() {
        return "{\"input\":\"" + uri(TestClips.clip(426, 240, 2, true)) + "\",\"output\":\""
                + uri(tmp.resolve("published/x")) + "\"}";
    }

    @Test
    @Timeout(30)
    void stalledTranscodeIsKilledAndRetried() throws Exception {
        TranscodeHandler h = handler("WORKER_FFMPEG", hangingFfmpeg().toString(), "WORKER_FFPROBE", "ffprobe",
                "WORKER_VIDEO_STALL_TIMEOUT", "1s");
        RetryableFailure f = assertThrows(RetryableFailure.class,
                () -> h.handle(Jobs.transcode("stuck", clipJob()), new FakeJobContext()));
        assertEquals("transcode_stalled", f.code());
        assertTrue(f.reason().contains("WORKER_VIDEO_STALL_TIMEOUT"), f.reason());
        assertFalse(Processes.isRunning(childPid()), "ffmpeg's child is killed too");
        assertTrue(metrics.prometheusText().contains("longshore_video_stalls_total 1"));
        assertFalse(Files.exists(tmp.resolve("published/x")));
        assertEquals(List.of(), workLeftovers());
    }

    @Test
    @Timeout(30)
    void transcodeRunningPastTheLimitIsKilled() throws Exception {
        Path advancing = Processes.script(tmp, "ffmpeg", """
                i=0
                while true; do i=$((i+1)); echo frame=$i; echo out_time_us=$((i*1000)); echo progress=continue; sleep 0.05; done
                """);
        TranscodeHandler h = handler("WORKER_FFMPEG", advancing.toString(), "WORKER_FFPROBE", "ffprobe",
                "WORKER_VIDEO_STALL_TIMEOUT", "1s", "WORKER_VIDEO_MAX_RUNTIME", "2s");
        PermanentFailure f = assertThrows(PermanentFailure.class,
                () -> h.handle(Jobs.transcode("endless", clipJob()), new FakeJobContext()));
        assertEquals("transcode_too_long", f.code());
    }

    @Test
    @Timeout(30)
    void cancellationKillsFfmpegAndItsChildren() throws Exception {
        TranscodeHandler h = handler("WORKER_FFMPEG", hangingFfmpeg().toString(), "WORKER_FFPROBE", "ffprobe");
        FakeJobContext ctx = new FakeJobContext();
        CompletableFuture<Throwable> running = CompletableFuture.supplyAsync(() -> {
            try {
                h.handle(Jobs.transcode("drained", clipJob()), ctx);
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        long child = childPid();
        assertTrue(Processes.isRunning(child));
        ctx.cancel();
        Throwable outcome = running.get(10, TimeUnit.SECONDS);
        assertTrue(outcome instanceof RetryableFailure r && r.code().equals("cancelled"), String.valueOf(outcome));
        assertFalse(Processes.isRunning(child));
    }

    @Test
    void s3InputAndOutputArePublishedManifestLast() throws Exception {
        try (FakeS3Server server = FakeS3Server.start("uploads", "media")) {
            server.put("uploads", "raw/clip.mp4", Files.readAllBytes(TestClips.clip(426, 240, 3, true)));
            // Anything over 16 KiB goes up as a multipart upload (one part: S3 allows a short last part).
            S3ObjectStore s3 = TestS3.storage(server, 16 * 1024, S3Settings.MIN_PART_SIZE);
            String payload = "{\"input\":\"s3://uploads/raw/clip.mp4\",\"output\":\"s3://media/hls/clip\","
                    + "\"renditions\":[{\"height\":240,\"bitrate\":\"400k\"},{\"height\":144,\"bitrate\":\"200k\"}],"
                    + "\"segmentSeconds\":1,\"thumbnail\":{\"atSeconds\":1}}";
            handler(s3).handle(Jobs.transcode("s3-clip", payload), new FakeJobContext());

            List<String> writes = server.writes();
            assertEquals("media/hls/clip/manifest.json", writes.getLast(), "manifest last: " + writes);
            assertEquals("media/hls/clip/master.m3u8", writes.get(writes.size() - 2), "master just before: " + writes);
            int lastSegment = 0;
            for (int i = 0; i < writes.size(); i++) {
                if (writes.get(i).endsWith(".ts")) {
                    lastSegment = i;
                }
            }
            assertTrue(lastSegment < writes.indexOf("media/hls/clip/240p/index.m3u8"), "segments before playlists");
            assertTrue(server.keys("media", "hls/clip/144p/").size() >= 4,
                    server.keys("media", "hls/clip/").toString());
            assertTrue(server.keys("media", "hls/clip/").contains("hls/clip/thumbnail.jpg"));
            assertEquals("application/vnd.apple.mpegurl", server.contentType("media", "hls/clip/master.m3u8"));
            assertEquals("video/mp2t", server.contentType("media", "hls/clip/240p/segment_00000.ts"));
            assertTrue(writes.stream().anyMatch(w -> server.partsOf("media", w.substring("media/".length())) != null),
                    "the larger files took the multipart path");
            JsonNode manifest = Jobs.JSON.readTree(server.get("media", "hls/clip/manifest.json"));
            assertEquals("s3://uploads/raw/clip.mp4", manifest.path("input").asText());

            int before = writes.size();
            handler(s3).handle(Jobs.transcode("s3-clip", payload, 2), new FakeJobContext());
            assertEquals(before, server.writes().size(), "the redelivery wrote nothing");
            assertTrue(results.sent().getLast().path("alreadyPublished").asBoolean());
            assertEquals("s3://media/hls/clip/manifest.json", results.sent().getLast().path("manifest").asText());
        }
    }

    @Test
    void resultThatCannotBeSentRetriesWithoutTranscodingAgain() throws Exception {
        Path input = TestClips.clip(426, 240, 2, true);
        Path out = tmp.resolve("published/unsent");
        ResultSink failing = new ResultSink() {
            @Override
            public void send(String jobId, com.fasterxml.jackson.databind.node.ObjectNode result) {
                throw new IllegalStateException("queue unreachable");
            }
        };
        Map<String, String> env = new HashMap<>(Map.of("PATH", System.getenv("PATH"),
                "WORKER_WORK_DIR", tmp.resolve("work").toString()));
        VideoSettings settings = VideoSettings.fromEnv(new Env(env), 1, 2);
        TranscodeHandler h = new TranscodeHandler(settings, new S3ObjectStore(() -> null, settings.s3()), failing,
                new VideoMetrics(metrics), Clock.systemUTC());
        RetryableFailure f = assertThrows(RetryableFailure.class, () -> h.handle(Jobs.transcode("unsent",
                "{\"input\":\"" + uri(input) + "\",\"output\":\"" + uri(out) + "\","
                        + "\"renditions\":[{\"height\":144,\"bitrate\":\"200k\"}]}"), new FakeJobContext()));
        assertEquals("result_not_sent", f.code());
        assertTrue(Files.exists(out.resolve("manifest.json")), "the output stays published for the retry to find");
    }
}
