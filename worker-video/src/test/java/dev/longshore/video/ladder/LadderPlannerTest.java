package dev.longshore.video.ladder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.longshore.video.media.MediaInfo;
import dev.longshore.video.request.RenditionSpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LadderPlannerTest {

    private static MediaInfo source(int width, int height) {
        return MediaInfo.of(10, width, height, 25, "h264", true, "mov");
    }

    private static List<String> names(List<Rendition> ladder) {
        return ladder.stream().map(r -> r.width() + "x" + r.height()).toList();
    }

    @Test
    void fullHdSourceGetsTheWholeDefaultLadder() {
        assertEquals(List.of("1920x1080", "1280x720", "854x480", "640x360"),
                names(LadderPlanner.plan(Optional.empty(), source(1920, 1080))));
    }

    @Test
    void neverUpscalesPastTheSource() {
        List<Rendition> ladder = LadderPlanner.plan(Optional.empty(), source(1280, 720));
        assertEquals(List.of("1280x720", "854x480", "640x360"), names(ladder));
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

    /** Before: 1728x720 at the top (the 1080 rung dropped because 800 lines are fewer than 1080). */
    @Test
    void widescreenFilmKeepsItsFullWidthInTheTopRung() {
        assertEquals(List.of("1920x800", "1280x534", "854x356", "640x266"),
                names(LadderPlanner.plan(Optional.empty(), source(1920, 800))));
    }

    /** Before: 853x479 lost the 480 rung and got only 642x360. */
    @Test
    void sourceJustUnderARungKeepsThatRungAtItsOwnSize() {
        List<Rendition> ladder = LadderPlanner.plan(Optional.empty(), source(853, 479));
        assertEquals(List.of("852x478", "640x360"), names(ladder));
        assertEquals("480p", ladder.getFirst().name());
        assertEquals(List.of("1916x1076", "1280x718", "854x480", "640x360"),
                names(LadderPlanner.plan(Optional.empty(), source(1916, 1076))));
    }

    @Test
    void sourceClearlyBetweenTwoRungsDoesNotClaimTheLargerOne() {
        assertEquals(List.of("1280x568", "854x380", "640x284"),
                names(LadderPlanner.plan(Optional.empty(), source(1800, 800))));
    }

    @Test
    void squareSourceFitsTheShortSideOfTheBox() {
        assertEquals(List.of("1080x1080", "720x720", "480x480", "360x360"),
                names(LadderPlanner.plan(Optional.empty(), source(1080, 1080))));
    }

    @Test
    void smallPortraitSourceGetsOneRenditionNamedByItsShortSide() {
        List<Rendition> ladder = LadderPlanner.plan(Optional.empty(), source(200, 356));
        assertEquals(List.of("200x356"), names(ladder));
        assertEquals("200p", ladder.getFirst().name());
    }
}
