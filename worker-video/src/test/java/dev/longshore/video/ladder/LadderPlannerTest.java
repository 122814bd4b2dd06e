package dev.longshore.video.ladder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.longshore.video.media.MediaInfo;
import dev.longshore.video.request.RenditionSpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LadderPlannerTest {

    private static MediaInfo source(int width, int height) {
        return MediaInfo.of(10, width, height, 25, "h264", true, "mov");
    }

    private static List<String> names(List<Rendition> ladder) {
        return ladder.stream().map(r -> r.width() + "x" + r.height()).toList();
    }

    /** The default ladder (no rungs requested) for a source of one size, as width x height per rung. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            full HD gets the whole default ladder                  | 1920 | 1080 | 1920x1080 1280x720 854x480 640x360
            never upscales past the source                         | 1280 | 720  | 1280x720 854x480 640x360
            # widescreen, before: 1728x720 at the top (the 1080 rung dropped because 800 lines are fewer than 1080)
            widescreen film keeps its full width in the top rung   | 1920 | 800  | 1920x800 1280x534 854x356 640x266
            just under a rung keeps that rung at its own size      | 1916 | 1076 | 1916x1076 1280x718 854x480 640x360
            clearly between two rungs does not claim the larger    | 1800 | 800  | 1280x568 854x380 640x284
            square fits the short side of the box                  | 1080 | 1080 | 1080x1080 720x720 480x480 360x360
            """)
    void defaultLadderForASourceOfThisSize(String behaviour, int width, int height, String rungs) {
        assertEquals(List.of(rungs.split(" ")), names(LadderPlanner.plan(Optional.empty(), source(width, height))));
    }

    @Test
    void sourceSmallerThanEveryRungGetsOneRenditionAtItsOwnHeight() {
        List<Rendition> ladder = LadderPlanner.plan(Optional.empty(), source(426, 241));
        assertEquals(List.of("424x240"), names(ladder));
        assertEquals(800_000, ladder.getFirst().videoBitrate(), "the smallest rung's bitrate");
    }

    @Test
    void requestedRungsAreSortedTallestFirstAndFiltered() {
        List<Rendition> ladder = LadderPlanner.plan(Optional.of(List.of(new RenditionSpec(144, 200_000, 64_000),
                new RenditionSpec(480, 1_000_000, 96_000), new RenditionSpec(240, 400_000, 64_000))), source(426, 240));
        assertEquals(List.of("426x240", "256x144"), names(ladder));
    }

    /** Before: 608x1080, 406x720, 270x480, 202x360 (rungs by height gave a phone video 31% of its pixels). */
    @Test
    void portraitPhoneVideoFillsEachRungsBoxTurnedUpright() {
        List<Rendition> ladder = LadderPlanner.plan(Optional.empty(), source(1080, 1920));
        assertEquals(List.of("1080x1920", "720x1280", "480x854", "360x640"), names(ladder));
        assertEquals(List.of("1080p", "720p", "480p", "360p"), ladder.stream().map(Rendition::name).toList());
        assertEquals(5_000_000, ladder.getFirst().videoBitrate());
    }

    /** The default ladder for a source of one size, and the name of its top rung. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # before: 853x479 lost the 480 rung and got only 642x360
            just under a rung keeps that rung at its own size    | 853 | 479 | 852x478 640x360 | 480p
            a small portrait source is named by its short side   | 200 | 356 | 200x356         | 200p
            """)
    void theTopRungKeepsTheNameOfTheRungItFills(String behaviour, int width, int height, String rungs,
            String topName) {
        List<Rendition> ladder = LadderPlanner.plan(Optional.empty(), source(width, height));
        assertEquals(List.of(rungs.split(" ")), names(ladder));
        assertEquals(topName, ladder.getFirst().name());
    }
}
