package dev.longshore.video.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.job.PermanentFailure;
import dev.longshore.video.testing.TestClips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProberTest {
    @TempDir
    Path tmp;

    private final Prober prober = new Prober(Path.of("/usr/bin/ffprobe").toFile().canExecute()
            ? Path.of("/usr/bin/ffprobe") : Path.of("ffprobe"), Duration.ofSeconds(30), Duration.ofMinutes(10));

    private MediaInfo probe(Path input) throws Exception {
        return probe(prober, input);
    }

    private MediaInfo probe(Prober p, Path input) throws Exception {
        Path link = tmp.resolve("input");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, input);
        return p.probe(link, tmp, r -> { });
    }

    @Test
    void readsSizeDurationAndAudio() throws Exception {
        MediaInfo info = probe(TestClips.clip(426, 240, 2, true));
        assertEquals(426, info.width());
        assertEquals(240, info.height());
        assertEquals(2.0, info.durationSeconds(), 0.1);
        assertEquals(25.0, info.frameRate(), 0.01);
        assertEquals("h264", info.videoCodec());
        assertTrue(info.hasAudio());
        assertFalse(probe(TestClips.clip(426, 240, 2, false)).hasAudio());
    }

    @Test
    void corruptInputIsPermanentWithFfprobesReason() throws Exception {
        PermanentFailure f = assertThrows(PermanentFailure.class, () -> probe(TestClips.garbage(tmp)));
        assertEquals("input_unreadable", f.code());
        assertTrue(f.reason().contains("Invalid data found when processing input"), f.reason());
        assertFalse(f.reason().contains(tmp.toString()), "our scratch path means nothing to the sender: " + f.reason());
    }

    @Test
    void audioOnlyInputHasNoVideoStream() throws Exception {
        PermanentFailure f = assertThrows(PermanentFailure.class, () -> probe(TestClips.toneOnly(1)));
        assertEquals("no_video_stream", f.code());
    }

    /** Before: input_unreadable, the reason quoting the worker's internal demuxer whitelist. */
    @Test
    void mp3IsAudioOnlyNotUnreadable() throws Exception {
        PermanentFailure f = assertThrows(PermanentFailure.class, () -> probe(TestClips.mp3()));
        assertEquals("no_video_stream", f.code());
        assertFalse(f.reason().contains("whitelist") || f.reason().contains("yuv4mpegpipe"), f.reason());
    }

    @Test
    void refusedContainerIsNamedWithoutTheInternalWhitelist() throws Exception {
        Path wave = TestClips.generate("tone-1s.voc", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000",
                "-t", "1", "-c:a", "pcm_u8");
        PermanentFailure f = assertThrows(PermanentFailure.class, () -> probe(wave));
        assertEquals("input_unreadable", f.code());
        assertTrue(f.reason().contains("voc") && f.reason().contains("Matroska"), f.reason());
        assertFalse(f.reason().contains("whitelist") || f.reason().contains("yuv4mpegpipe"), f.reason());
    }

    /** Before: the first audio stream (silent, not default) was transcoded and the other was dropped unnoted. */
    @Test
    void defaultAudioStreamIsChosenAndTheOthersListed() throws Exception {
        MediaInfo info = probe(TestClips.defaultAudioSecond());
        assertEquals(0, info.streams().video());
        assertEquals(2, info.streams().audio().orElseThrow());
        assertEquals(1, info.streams().droppedAudio().size());
        assertTrue(info.streams().droppedAudio().getFirst().startsWith("stream 1: aac, 2 channels, fra"),
                info.streams().droppedAudio().toString());
    }

    @Test
    void interlacedAndHdrSourcesAreRecognised() throws Exception {
        MediaInfo interlaced = probe(TestClips.interlaced());
        assertEquals("tt", interlaced.picture().fieldOrder());
        assertTrue(interlaced.picture().interlaced());
        assertTrue(interlaced.picture().hdr().isEmpty());
        MediaInfo hlg = probe(TestClips.hlg());
        assertEquals("HLG", hlg.picture().hdr().orElseThrow());
        assertEquals("bt2020", hlg.picture().primaries());
        assertFalse(hlg.picture().interlaced());
        assertFalse(probe(TestClips.clip(426, 240, 2, true)).picture().interlaced());
    }

    @Test
    void inputLongerThanTheLimitIsRefused() throws Exception {
        Prober strict = new Prober(Path.of("ffprobe"), Duration.ofSeconds(30), Duration.ofSeconds(1));
        PermanentFailure f = assertThrows(PermanentFailure.class, () -> probe(strict, TestClips.clip(426, 240, 2, true)));
        assertEquals("input_too_long", f.code());
        assertTrue(f.reason().contains("WORKER_VIDEO_MAX_DURATION"), f.reason());
    }

    /**
     * An upload that is really an HLS playlist naming another file (here a valid segment beside it) must not be
     * read through: without the format whitelist ffprobe would happily report the segment's streams.
     */
    @Test
    void playlistUploadCannotReadOtherFiles() throws Exception {
        Path segment = tmp.resolve("private.ts");
        remux(TestClips.clip(426, 240, 2, true), segment);
        Path upload = Files.writeString(tmp.resolve("upload.mp4"), "#EXTM3U\n#EXT-X-TARGETDURATION:2\n"
                + "#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:2.0,\nprivate.ts\n#EXT-X-ENDLIST\n");
        PermanentFailure f = assertThrows(PermanentFailure.class, () -> probe(upload));
        assertEquals("input_unreadable", f.code());
    }

    @Test
    void concatScriptUploadCannotReadOtherFiles() throws Exception {
        Files.copy(TestClips.clip(426, 240, 2, true), tmp.resolve("private.mp4"));
        Path upload = Files.writeString(tmp.resolve("upload.mov"), "ffconcat version 1.0\nfile private.mp4\nduration 2.0\n");
        PermanentFailure f = assertThrows(PermanentFailure.class, () -> probe(upload));
        assertEquals("input_unreadable", f.code());
    }

    private static void remux(Path from, Path to) throws Exception {
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", from.toString(),
                "-c", "copy", "-f", "mpegts", to.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
    }
}
