package dev.longshore.video.ladder;

import dev.longshore.video.media.MediaInfo;
import dev.longshore.video.request.RenditionSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Chooses the renditions for a source. Never upscales: a rung taller than the source is dropped, because an
 * upscaled rendition costs bandwidth and encode time and looks no better than the player scaling it. When every
 * rung is taller than the source, one rendition at the source's own height is made with the smallest rung's
 * bitrates, so every input still gets a playable output.
 */
public final class LadderPlanner {
    /** 1080p/720p/480p/360p at the bitrates commonly used for H.264 (Apple's HLS authoring guide's range). */
    public static final List<RenditionSpec> DEFAULT_LADDER = List.of(
            new RenditionSpec(1080, 5_000_000, 128_000),
            new RenditionSpec(720, 2_800_000, 128_000),
            new RenditionSpec(480, 1_400_000, 96_000),
            new RenditionSpec(360, 800_000, 96_000));

    private LadderPlanner() {
    }

    public static List<Rendition> plan(Optional<List<RenditionSpec>> requested, MediaInfo source) {
        List<RenditionSpec> specs = new ArrayList<>(requested.orElse(DEFAULT_LADDER));
        specs.sort(Comparator.comparingInt(RenditionSpec::height).reversed());
        List<Rendition> out = new ArrayList<>();
        for (RenditionSpec spec : specs) {
            if (spec.height() <= source.height()) {
                out.add(rendition(spec.height(), spec.videoBitrate(), spec.audioBitrate(), source));
            }
        }
        if (out.isEmpty()) {
            RenditionSpec smallest = specs.getLast();
            int height = Math.max(2, source.height() - source.height() % 2);
            out.add(rendition(height, smallest.videoBitrate(), smallest.audioBitrate(), source));
        }
        return List.copyOf(out);
    }

    private static Rendition rendition(int height, long video, long audio, MediaInfo source) {
        long width = Math.round((double) source.width() * height / source.height() / 2.0) * 2;
        return new Rendition(height + "p", (int) Math.max(2, width), height, video, audio);
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
