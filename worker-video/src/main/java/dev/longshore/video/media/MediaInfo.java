package dev.longshore.video.media;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What ffprobe found in the input.
 *
 * @param durationSeconds media duration as the container declares it
 * @param width           displayed width: sample aspect ratio and rotation applied, as ffmpeg's filters see it
 * @param height          displayed height
 * @param frameRate       frames per second, or 0 when unknown
 * @param videoCodec      e.g. h264
 * @param formatName      the demuxer ffprobe picked, e.g. {@code mov,mp4,m4a,3gp,3g2,mj2}
 * @param streams         which streams are transcoded, and the audio streams that are not
 * @param picture         scan type and colour of the video stream
 */
public record MediaInfo(double durationSeconds, int width, int height, double frameRate, String videoCodec,
                        String formatName, Streams streams, Picture picture) {

    /** A progressive SDR source with its video at stream 0 and, when {@code hasAudio}, its audio at stream 1. */
    public static MediaInfo of(double durationSeconds, int width, int height, double frameRate, String videoCodec,
                               boolean hasAudio, String formatName) {
        return new MediaInfo(durationSeconds, width, height, frameRate, videoCodec, formatName,
                new Streams(0, hasAudio ? OptionalInt.of(1) : OptionalInt.empty(), List.of()), Picture.PROGRESSIVE_SDR);
    }

    public boolean hasAudio() {
        return streams.audio().isPresent();
    }

    public long durationMicros() {
        return Math.round(durationSeconds * 1_000_000);
    }

    /**
     * The streams the transcode reads, by their index in the input (ffmpeg's {@code 0:N}).
     *
     * @param video        the first video stream that is not a cover picture
     * @param audio        the audio stream flagged default, else the first audio stream; empty when silent
     * @param droppedAudio the other audio streams, described for the manifest ("stream 2: aac, 6 channels, fra")
     */
    public record Streams(int video, OptionalInt audio, List<String> droppedAudio) {
        public Streams {
            droppedAudio = List.copyOf(droppedAudio);
        }
    }

    /**
     * @param fieldOrder    ffprobe's {@code field_order}: {@code progressive}, {@code tt}, {@code bb}, {@code tb},
     *                      {@code bt}, or {@code unknown} when the stream does not say
     * @param transfer      ffprobe's {@code color_transfer} ({@code bt709}, {@code smpte2084}, {@code arib-std-b67}...),
     *                      {@code unknown} when untagged
     * @param primaries     ffprobe's {@code color_primaries}, {@code unknown} when untagged
     * @param pixelFormat   e.g. {@code yuv420p10le}
     */
    public record Picture(String fieldOrder, String transfer, String primaries, String pixelFormat) {
        public static final Picture PROGRESSIVE_SDR = new Picture("progressive", "unknown", "unknown", "yuv420p");

        /** Interlaced when the stream declares a field order; untagged streams are taken as progressive. */
        public boolean interlaced() {
            return switch (fieldOrder) {
                case "tt", "bb", "tb", "bt" -> true;
                default -> false;
            };
        }

        /** {@code PQ} (SMPTE ST 2084) or {@code HLG} (ARIB STD-B67) for high dynamic range, else empty. */
        public Optional<String> hdr() {
            return switch (transfer) {
                case "smpte2084" -> Optional.of("PQ");
                case "arib-std-b67" -> Optional.of("HLG");
                default -> Optional.empty();
            };
        }
    }
}
