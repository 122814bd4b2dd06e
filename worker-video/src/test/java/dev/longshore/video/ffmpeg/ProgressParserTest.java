package dev.longshore.video.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressParserTest {

    private static List<Progress> feed(String text) {
        ProgressParser parser = new ProgressParser();
        List<Progress> out = new ArrayList<>();
        text.lines().forEach(l -> parser.accept(l).ifPresent(out::add));
        return out;
    }

    @Test
    void blocksBecomeProgressAtTheirEnd() {
        List<Progress> blocks = feed("""
                frame=1
                fps=0.00
                stream_0_0_q=0.0
                bitrate=N/A
                total_size=N/A
                out_time_us=0
                out_time_ms=0
                out_time=00:00:00.000000
                speed=   0x
                progress=continue
                frame=75
                out_time_us=3008000
                out_time_ms=3008000
                out_time=00:00:03.008000
                speed=10.3x
                progress=end
                """);
        assertEquals(2, blocks.size());
        assertEquals(new Progress(1, 0, 0, false), blocks.get(0));
        assertEquals(new Progress(75, 3_008_000, 10.3, true), blocks.get(1));
        assertTrue(blocks.get(1).finished());
    }

    @Test
    void notAvailableValuesAreUnknown() {
        Progress p = feed("frame=N/A\nout_time_us=N/A\nout_time=N/A\nspeed=N/A\nprogress=continue\n").getFirst();
        assertEquals(-1, p.frame());
        assertEquals(-1, p.outTimeMicros());
        assertEquals(0.0, p.fractionOf(10_000_000));
    }

    @Test
    void clockFormIsUsedWhenMicrosecondsAreMissing() {
        Progress p = feed("out_time=01:02:03.5\nprogress=continue\n").getFirst();
        assertEquals((3723L * 1_000_000) + 500_000, p.outTimeMicros());
    }

    @Test
    void negativeStartTimesCountAsUnknown() {
        Progress p = feed("out_time_us=-1234\nout_time=-00:00:00.001234\nprogress=continue\n").getFirst();
        assertEquals(-1, p.outTimeMicros());
    }

    @Test
    void fractionIsClampedToOne() {
        assertEquals(0.5, new Progress(1, 5_000_000, 1, false).fractionOf(10_000_000));
        assertEquals(1.0, new Progress(1, 10_040_000, 1, false).fractionOf(10_000_000));
        assertFalse(new Progress(1, 1, 1, false).finished());
    }

    @Test
    void garbageLinesAreIgnored() {
        assertEquals(List.of(), feed("hello\n=x\nframe=abc\n"));
    }
}
