package dev.longshore.video.ladder;

import dev.longshore.video.media.MediaInfo;
import dev.longshore.video.request.RenditionSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Chooses the renditions for a source (docs/video.md: "Ladder").
 *
 * <p>A rung names a bounding box in the source's orientation: the 1080 rung is 1920x1080 for a landscape source
 * and 1080x1920 for a portrait one (the long side is the rung's height x 16/9, rounded to even). The source is
 * scaled to fit the box, keeping its display aspect ratio, so a rung always holds at most the pixels its bitrate
 * was chosen for, whatever the shape: a 1080x1920 phone video tops out at 1080x1920, a 1920x800 film at
 * 1920x800.
 *
 * <p>Never upscales: a rung whose box holds the whole source with room to spare is dropped, because an upscaled
 * rendition costs bandwidth and encode time and looks no better than the player scaling it. A source within
 * {@link #FIT_TOLERANCE} of a box (853x479 against 854x480) keeps that rung at its own size instead of losing a
 * tier. When every rung is dropped, one rendition at the source's own size is made with the smallest rung's
 * bitrates, so every input still gets a playable output.
 */
public final class LadderPlanner {
    /** 1080p/720p/480p/360p at the bitrates commonly used for H.264 (Apple's HLS authoring guide's range). */
    public static final List<RenditionSpec> DEFAULT_LADDER = List.of(
            new RenditionSpec(1080, 5_000_000, 128_000),
            new RenditionSpec(720, 2_800_000, 128_000),
            new RenditionSpec(480, 1_400_000, 96_000),
            new RenditionSpec(360, 800_000, 96_000));
    /**
     * How much smaller than a rung's box a source may be and still get that rung (at its own size): 2%, so
     * encoders' and phones' near-standard sizes (853x479, 1916x1076) keep their tier, while a source clearly
     * between two rungs (say 1800x800 against the 1080 box) does not claim the larger one.
     */
    public static final double FIT_TOLERANCE = 0.02;

    private LadderPlanner() {
    }

    public static List<Rendition> plan(Optional<List<RenditionSpec>> requested, MediaInfo source) {
        List<RenditionSpec> specs = new ArrayList<>(requested.orElse(DEFAULT_LADDER));
        specs.sort(Comparator.comparingInt(RenditionSpec::height).reversed());
        List<Rendition> out = new ArrayList<>();
        for (RenditionSpec spec : specs) {
            fit(spec, source).ifPresent(out::add);
        }
        if (out.isEmpty()) {
            RenditionSpec smallest = specs.getLast();
            int[] size = sourceSize(source.width(), source.height());
            out.add(new Rendition(Math.min(size[0], size[1]) + "p", size[0], size[1], smallest.videoBitrate(),
                    smallest.audioBitrate()));
        }
        return List.copyOf(out);
    }

    /** The rung's box in the source's orientation: {width, height}. */
    static int[] box(int rungHeight, int sourceWidth, int sourceHeight) {
        int longSide = even(rungHeight * 16.0 / 9.0);
        return sourceHeight > sourceWidth ? new int[] {rungHeight, longSide} : new int[] {longSide, rungHeight};
    }

    /** The rendition for one rung, or empty when the source is smaller than its box (beyond the tolerance). */
    static Optional<Rendition> fit(RenditionSpec spec, MediaInfo source) {
        int w = source.width();
        int h = source.height();
        int[] box = box(spec.height(), w, h);
        double byWidth = (double) box[0] / w;
        double byHeight = (double) box[1] / h;
        double scale = Math.min(byWidth, byHeight);
        if (scale > 1 + FIT_TOLERANCE) {
            return Optional.empty();
        }
        int[] size;
        if (scale >= 1) {
            size = sourceSize(w, h);
        } else if (byHeight <= byWidth) {
            size = new int[] {Math.min(box[0], Math.max(2, even(w * byHeight))), box[1]};
        } else {
            size = new int[] {box[0], Math.min(box[1], Math.max(2, even(h * byWidth)))};
        }
        return Optional.of(new Rendition(spec.name(), size[0], size[1], spec.videoBitrate(), spec.audioBitrate()));
    }

    /**
     * The source's own size made even, for the encoder's 4:2:0 chroma: the short side rounded down, the long side
     * following the aspect ratio, never past the source.
     */
    static int[] sourceSize(int w, int h) {
        if (h > w) {
            int[] t = sourceSize(h, w);
            return new int[] {t[1], t[0]};
        }
        int shortSide = Math.max(2, h - h % 2);
        int longSide = Math.max(2, Math.min(w - w % 2, even((double) w * shortSide / h)));
        return new int[] {longSide, shortSide};
    }

    private static int even(double v) {
        return (int) Math.round(v / 2.0) * 2;
    }

    /** Peak rate allowed around the average: 7% above, a common constrained-VBR setting for streaming. */
    static long maxRate(long bitrate) {
        return bitrate * 107 / 100;
    }

    /** VBV buffer of 1.5x the average rate: enough to smooth scene changes, small enough for quick starts. */
    static long bufferSize(long bitrate) {
        return bitrate * 3 / 2;
    }

    public static long maxRateOf(Rendition r) {
        return maxRate(r.videoBitrate());
    }

    public static long bufferSizeOf(Rendition r) {
        return bufferSize(r.videoBitrate());
    }
}
