package dev.longshore.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.testkit.FakeJobContext;
import dev.longshore.video.testing.Handlers;
import dev.longshore.video.testing.Jobs;
import dev.longshore.video.testing.Media;
import dev.longshore.video.testing.Processes;
import dev.longshore.video.testing.RecordingResultSink;
import dev.longshore.video.testing.TestClips;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the renditions look like: progressive, SDR BT.709, the source's shape. */
class TranscodeHandlerPictureTest {
    @TempDir
    Path tmp;
    private final RecordingResultSink results = new RecordingResultSink();

    private TranscodeHandler handler(String... kv) {
        return Handlers.handler(tmp, results, kv);
    }

    private JsonNode manifest(Path out) throws Exception {
        return Jobs.JSON.readTree(out.resolve("manifest.json").toFile());
    }

    /**
     * Top-field-first material at its own size (no scaling to blur the comb). Before: every frame of the rendition
     * still combed (idet: 50 TFF of 50), flagged progressive.
     */
    @Test
    void interlacedSourceIsDeinterlaced() throws Exception {
        Path out = tmp.resolve("published/interlaced");
        handler().handle(Jobs.transcode("interlaced", Handlers.payload(TestClips.interlaced(), out,
                "\"renditions\":[{\"height\":240,\"bitrate\":\"600k\"}],\"thumbnail\":true")), new FakeJobContext());
        int[] idet = Media.interlacing(out.resolve("240p/index.m3u8"));
        assertTrue(idet[0] * 5 < idet[1], "combed frames " + idet[0] + ", progressive " + idet[1]);
        String segment = TestClips.probe(out.resolve("240p/segment_00000.ts"), "stream=width,height,field_order");
        assertTrue(segment.contains("width=320\nheight=240\nfield_order=progressive"), segment);
        assertTrue(manifest(out).path("notes").toString().contains("deinterlaced (field order tt)"));
    }

    /**
     * 10-bit HLG BT.2020. Before: 8-bit renditions still tagged BT.2020/HLG (players show them washed out) and no
     * VIDEO-RANGE in the master playlist.
     */
    @Test
    void hlgSourceIsToneMappedToSdrBt709() throws Exception {
        Path out = tmp.resolve("published/hlg");
        handler().handle(Jobs.transcode("hlg", Handlers.payload(TestClips.hlg(), out,
                "\"renditions\":[{\"height\":180,\"bitrate\":\"300k\"}],\"thumbnail\":true")), new FakeJobContext());
        String streams = TestClips.probe(out.resolve("180p/index.m3u8"),
                "stream=pix_fmt,color_space,color_transfer,color_primaries");
        assertTrue(streams.contains("pix_fmt=yuv420p\n") && streams.contains("color_space=bt709")
                && streams.contains("color_transfer=bt709") && streams.contains("color_primaries=bt709"), streams);
        String master = Files.readString(out.resolve("master.m3u8"));
        assertTrue(master.contains("VIDEO-RANGE=SDR"), master);
        JsonNode manifest = manifest(out);
        assertTrue(manifest.path("notes").toString().contains("tone-mapped from HLG"), manifest.toString());
        assertTrue(manifest.has("thumbnail"));
    }

    @Test
    void hdrSourceIsRefusedWhenFfmpegCannotToneMap() throws Exception {
        Path withoutZimg = Processes.script(tmp, "ffmpeg", """
                case "$*" in *-filters*) ffmpeg "$@" | grep -v ' zscale '; exit 0;; esac
                exec ffmpeg "$@"
                """);
        Path out = tmp.resolve("published/hdr-refused");
        PermanentFailure f = assertThrows(PermanentFailure.class, () -> handler("WORKER_FFMPEG", withoutZimg.toString(),
                "WORKER_FFPROBE", "ffprobe").handle(Jobs.transcode("hdr-refused", Handlers.payload(TestClips.hlg(), out,
                "\"renditions\":[{\"height\":180,\"bitrate\":\"300k\"}]")), new FakeJobContext()));
        assertEquals("hdr_unsupported", f.code());
        assertTrue(f.reason().contains("HLG") && f.reason().contains("zscale"), f.reason());
        assertFalse(Files.exists(out));
    }

    /** Before: a 180x320 portrait source got 100x180 for its 180 rung. */
    @Test
    void portraitSourceFillsTheRungTurnedUpright() throws Exception {
        Path out = tmp.resolve("published/portrait");
        handler().handle(Jobs.transcode("portrait", Handlers.payload(TestClips.clip(180, 320, 2, false), out,
                "\"renditions\":[{\"height\":180,\"bitrate\":\"300k\"},{\"height\":144,\"bitrate\":\"200k\"}]")),
                new FakeJobContext());
        String master = Files.readString(out.resolve("master.m3u8"));
        assertTrue(master.contains("RESOLUTION=180x320") && master.contains("RESOLUTION=144x256"), master);
    }
}
