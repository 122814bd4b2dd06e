package dev.longshore.video.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.video.ladder.Rendition;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class HlsCommandTest {
    private final HlsCommand command = new HlsCommand(Path.of("/usr/bin/ffmpeg"), Path.of("/work/job-1/input"),
            Path.of("/work/job-1/out"), List.of(new Rendition("720p", 1280, 720, 2_800_000, 128_000),
            new Rendition("360p", 640, 360, 800_000, 96_000)), SourcePlan.plain(true), 6, 3, "veryfast");

    private static String after(List<String> args, String option) {
        int i = args.indexOf(option);
        assertTrue(i >= 0, option + " missing from " + args);
        return args.get(i + 1);
    }

    @Test
    void threadsFollowTheGivenCpuShareEverywhere() {
        List<String> args = command.arguments();
        assertEquals(2, Collections.frequency(args, "-threads"), "decoder and encoders");
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("-threads")) {
                assertEquals("3", args.get(i + 1));
            }
        }
        assertEquals("3", after(args, "-filter_complex_threads"));
    }

    @Test
    void inputIsReadAsAFileThroughTheWhitelists() {
        List<String> args = command.arguments();
        assertEquals("file:/work/job-1/input", after(args, "-i"));
        assertEquals("file", after(args, "-protocol_whitelist"));
        assertTrue(args.indexOf("-protocol_whitelist") < args.indexOf("-i"), "input options come before -i");
        assertTrue(args.indexOf("-format_whitelist") < args.indexOf("-i"));
        assertTrue(!after(args, "-format_whitelist").contains("hls") && !after(args, "-format_whitelist").contains("concat"));
    }

    @Test
    void everyRenditionGetsItsScaleBitrateAndName() {
        List<String> args = command.arguments();
        assertEquals("[0:0]split=2[s0][s1];[s0]scale=1280:720,setsar=1[v0];[s1]scale=640:360,setsar=1[v1]",
                after(args, "-filter_complex"));
        assertEquals("2800000", after(args, "-b:v:0"));
        assertEquals("2996000", after(args, "-maxrate:v:0"));
        assertEquals("800000", after(args, "-b:v:1"));
        assertEquals("96000", after(args, "-b:a:1"));
        assertEquals("v:0,a:0,name:720p v:1,a:1,name:360p", after(args, "-var_stream_map"));
        assertEquals("/work/job-1/out/%v/segment_%05d.ts", after(args, "-hls_segment_filename"));
        assertEquals("/work/job-1/out/%v/index.m3u8", args.getLast());
        assertEquals("pipe:1", after(args, "-progress"));
        assertEquals("expr:gte(t,n_forced*6)", after(args, "-force_key_frames"));
    }

    @Test
    void silentSourceMapsNoAudio() {
        List<String> args = new HlsCommand(Path.of("/usr/bin/ffmpeg"), Path.of("/w/input"), Path.of("/w/out"),
                List.of(new Rendition("240p", 426, 240, 400_000, 64_000)), SourcePlan.plain(false), 4, 1, "veryfast").arguments();
        assertTrue(!args.contains("0:1") && !args.contains("-c:a"), args.toString());
        assertEquals("v:0,name:240p", after(args, "-var_stream_map"));
    }

    @Test
    void chosenStreamsAreMappedByIndexAndSharedFiltersRunBeforeTheSplit() {
        SourcePlan plan = new SourcePlan(1, java.util.OptionalInt.of(3), List.of("bwdif=mode=send_frame", "format=yuv420p"),
                true);
        List<String> args = new HlsCommand(Path.of("/usr/bin/ffmpeg"), Path.of("/w/input"), Path.of("/w/out"),
                List.of(new Rendition("240p", 426, 240, 400_000, 64_000)), plan, 4, 1, "veryfast").arguments();
        assertEquals("[0:1]bwdif=mode=send_frame,format=yuv420p,split=1[s0];"
                + "[s0]scale=426:240,setsar=1[v0]", after(args, "-filter_complex"));
        assertEquals("0:3", args.get(args.lastIndexOf("-map") + 1));
        assertEquals("bt709", after(args, "-color_primaries"));
        assertEquals("bt709", after(args, "-color_trc"));
        assertEquals("bt709", after(args, "-colorspace"));
        assertTrue(!command.arguments().contains("-color_primaries"), "untouched colour stays as the source tags it");
    }
}
