package dev.longshore.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longshore.testkit.FakeJobContext;
import dev.longshore.video.testing.Handlers;
import dev.longshore.video.testing.Jobs;
import dev.longshore.video.testing.Media;
import dev.longshore.video.testing.RecordingResultSink;
import dev.longshore.video.testing.TestClips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which streams the renditions carry, and what the master playlist declares about them. */
class TranscodeHandlerStreamsTest {
    @TempDir
    Path tmp;
    private final RecordingResultSink results = new RecordingResultSink();

    /** Before: the first audio stream (silent, not default) was carried and the dropped one went unmentioned. */
    @Test
    void defaultAudioStreamIsCarriedAndTheOthersAreNoted() throws Exception {
        Path out = tmp.resolve("published/audio");
        Handlers.handler(tmp, results).handle(Jobs.transcode("audio", Handlers.payload(TestClips.defaultAudioSecond(),
                out, "\"renditions\":[{\"height\":144,\"bitrate\":\"150k\",\"audioBitrate\":\"64k\"}]")),
                new FakeJobContext());
        double loudest = Media.maxVolume(out.resolve("144p/index.m3u8"));
        assertTrue(loudest > -30, "the 880 Hz default stream, not the silent first one: max volume " + loudest + " dB");
        JsonNode manifest = Jobs.JSON.readTree(out.resolve("manifest.json").toFile());
        String notes = manifest.path("notes").toString();
        assertTrue(notes.contains("stream 2 carried") && notes.contains("stream 1: aac, 2 channels, fra"), notes);
    }

    /**
     * Incompressible noise on a small rung with 1 s segments: the encoder bursts to its buffer and MPEG-TS
     * overhead weighs most. Before: BANDWIDTH=325600 declared, 389536 bit/s measured in the first segment.
     */
    @Test
    void bandwidthIsNeverBelowAMeasuredSegment() throws Exception {
        Path out = tmp.resolve("published/noise");
        Handlers.handler(tmp, results).handle(Jobs.transcode("noise", Handlers.payload(TestClips.noise(), out,
                "\"renditions\":[{\"height\":144,\"bitrate\":\"200k\",\"audioBitrate\":\"96k\"}],\"segmentSeconds\":1")),
                new FakeJobContext());
        String master = Files.readString(out.resolve("master.m3u8"));
        Matcher m = Pattern.compile("[:,]BANDWIDTH=(\\d+),AVERAGE-BANDWIDTH=(\\d+)").matcher(master);
        assertTrue(m.find(), master);
        long declared = Long.parseLong(m.group(1));
        long average = Long.parseLong(m.group(2));
        assertTrue(master.contains("VIDEO-RANGE=SDR"), master);

        List<String> lines = Files.readAllLines(out.resolve("144p/index.m3u8"));
        long total = 0;
        double seconds = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("#EXTINF:")) {
                double d = Double.parseDouble(lines.get(i).substring(8, lines.get(i).indexOf(',')));
                long bytes = Files.size(out.resolve("144p").resolve(lines.get(i + 1)));
                total += bytes;
                seconds += d;
                if (d >= 0.5) {
                    long rate = (long) (bytes * 8 / d);
                    assertTrue(rate <= declared, "segment " + lines.get(i + 1) + " runs at " + rate
                            + " bit/s, BANDWIDTH says " + declared + "\n" + master);
                }
            }
        }
        assertEquals(Math.ceil(total * 8 / seconds), average, 1.0, "AVERAGE-BANDWIDTH is total bits / duration");
        JsonNode rendition = Jobs.JSON.readTree(out.resolve("manifest.json").toFile()).path("renditions").get(0);
        assertEquals(declared, rendition.path("bandwidth").asLong());
    }
}
