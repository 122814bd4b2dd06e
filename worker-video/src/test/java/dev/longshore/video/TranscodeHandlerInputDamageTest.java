package dev.longshore.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import dev.longshore.testkit.FakeJobContext;
import dev.longshore.video.testing.Handlers;
import dev.longshore.video.testing.Jobs;
import dev.longshore.video.testing.Processes;
import dev.longshore.video.testing.RecordingResultSink;
import dev.longshore.video.testing.TestClips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged inputs fail once and for good; the machine's failures are retried; a thumbnail is never worth a retry. */
class TranscodeHandlerInputDamageTest {
    private static final String SMALL_RUNG = "\"renditions\":[{\"height\":144,\"bitrate\":\"150k\"}],\"segmentSeconds\":1";
    @TempDir
    Path tmp;
    private final RecordingResultSink results = new RecordingResultSink();

    private TranscodeHandler handler(String... kv) {
        return Handlers.handler(tmp, results, kv);
    }

    /**
     * An upload cut off halfway whose index (moov, first with +faststart) survived: ffprobe reports the full 6 s,
     * ffmpeg reads the 3 s that are there and exits 0. Before: published as a success with 3 s renditions.
     */
    @Test
    void truncatedUploadWithItsIndexFirstFailsPermanently() throws Exception {
        byte[] whole = Files.readAllBytes(TestClips.faststart(256, 144, 6));
        Path cut = Files.write(tmp.resolve("cut.mp4"), Arrays.copyOf(whole, whole.length / 2));
        Path out = tmp.resolve("published/cut");
        PermanentFailure f = assertThrows(PermanentFailure.class, () -> handler().handle(
                Jobs.transcode("cut", Handlers.payload(cut, out, SMALL_RUNG)), new FakeJobContext()));
        assertEquals("input_truncated", f.code());
        assertTrue(f.reason().contains("6.0s"), f.reason());
        assertFalse(Files.exists(out), "nothing is published");
        assertEquals("input_truncated", results.sent().getLast().path("error").asText());
    }

    @Test
    void wholeFaststartUploadIsNotMistakenForATruncatedOne() throws Exception {
        Path out = tmp.resolve("published/whole");
        handler().handle(Jobs.transcode("whole", Handlers.payload(TestClips.faststart(256, 144, 6), out, SMALL_RUNG)),
                new FakeJobContext());
        assertTrue(Files.exists(out.resolve("manifest.json")));
    }

    /**
     * The index is intact (ffprobe reads it) but every media byte after it is noise: ffmpeg logs decode errors and
     * ends with "Cannot determine format of input stream 0:0 after EOF". Before: retryable ffmpeg_failed, the
     * whole transcode repeated on every receive.
     */
    @Test
    void undecodableMediaDataFailsPermanentlyAsCorrupt() throws Exception {
        byte[] bytes = Files.readAllBytes(TestClips.faststart(256, 144, 2));
        int mdat = indexOf(bytes, "mdat".getBytes()) + 4;
        byte[] noise = new byte[bytes.length - mdat];
        new Random(1).nextBytes(noise);
        System.arraycopy(noise, 0, bytes, mdat, noise.length);
        Path corrupt = Files.write(tmp.resolve("noise.mp4"), bytes);
        Path out = tmp.resolve("published/noise");
        PermanentFailure f = assertThrows(PermanentFailure.class, () -> handler().handle(
                Jobs.transcode("noise", Handlers.payload(corrupt, out, SMALL_RUNG)), new FakeJobContext()));
        assertEquals("input_corrupt", f.code());
        assertFalse(f.reason().contains(tmp.toString()), f.reason());
        assertFalse(Files.exists(out));
    }

    /** The same decode-looking exit with a full disk in the log is the machine's fault: retried. */
    @Test
    void ffmpegFailingForWantOfDiskIsRetried() throws Exception {
        Path ffmpeg = Processes.script(tmp, "ffmpeg", """
                echo 'Error while decoding stream #0:0: Invalid data found when processing input' >&2
                echo '/work/out/240p/segment_00001.ts: No space left on device' >&2
                exit 1
                """);
        RetryableFailure f = assertThrows(RetryableFailure.class, () -> handler("WORKER_FFMPEG", ffmpeg.toString(),
                "WORKER_FFPROBE", "ffprobe").handle(Jobs.transcode("full", Handlers.payload(
                TestClips.clip(426, 240, 2, true), tmp.resolve("published/full"), SMALL_RUNG)), new FakeJobContext()));
        assertEquals("ffmpeg_failed", f.code());
        assertTrue(f.reason().contains("No space left on device"), f.reason());
    }

    @Test
    void ffmpegKilledBySignalIsRetried() throws Exception {
        Path ffmpeg = Processes.script(tmp, "ffmpeg", """
                echo 'Error while decoding stream #0:0: Invalid data found when processing input' >&2
                kill -9 $$
                """);
        RetryableFailure f = assertThrows(RetryableFailure.class, () -> handler("WORKER_FFMPEG", ffmpeg.toString(),
                "WORKER_FFPROBE", "ffprobe").handle(Jobs.transcode("killed", Handlers.payload(
                TestClips.clip(426, 240, 2, true), tmp.resolve("published/killed"), SMALL_RUNG)), new FakeJobContext()));
        assertEquals("ffmpeg_failed", f.code());
    }

    /**
     * ffmpeg for the renditions, a failure for the thumbnail (the only run writing a JPEG). Before: retryable
     * thumbnail_failed after a finished transcode, which was then repeated on every receive.
     */
    @Test
    void thumbnailThatCannotBeMadeIsNotedAndTheJobSucceeds() throws Exception {
        Path ffmpeg = Processes.script(tmp, "ffmpeg", """
                case "$*" in *image2*) echo 'Invalid data found when processing input' >&2; exit 1;; esac
                exec ffmpeg "$@"
                """);
        Path out = tmp.resolve("published/nothumb");
        handler("WORKER_FFMPEG", ffmpeg.toString(), "WORKER_FFPROBE", "ffprobe").handle(Jobs.transcode("nothumb",
                Handlers.payload(TestClips.clip(426, 240, 2, true), out, SMALL_RUNG + ",\"thumbnail\":true")),
                new FakeJobContext());
        JsonNode manifest = Jobs.JSON.readTree(out.resolve("manifest.json").toFile());
        assertTrue(manifest.path("thumbnail").isMissingNode(), manifest.toString());
        assertTrue(manifest.path("notes").toString().contains("thumbnail not made"), manifest.toString());
        assertFalse(Files.exists(out.resolve("thumbnail.jpg")));
        assertEquals("succeeded", results.sent().getLast().path("status").asText());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
