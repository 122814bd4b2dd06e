package dev.longshore.video.ladder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.longshore.video.media.MediaInfo;
import dev.longshore.video.request.RenditionSpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LadderPlannerTest {

    private static MediaInfo source(int width, int height) {
        return new MediaInfo(10, width, height, 25, "h264", true, "mov");
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

    @Test
    void portraitSourceKeepsItsShapeWithEvenWidths() {
        assertEquals(List.of("406x720", "270x480", "202x360"),
                names(LadderPlanner.plan(Optional.empty(), source(1080, 1920)).subList(1, 4)));
    }
}
