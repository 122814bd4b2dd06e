package dev.longshore.video.request;

/**
 * One rung of the ladder as asked for: output frame height and bitrates in bits per second.
 * Heights are even because the encoder's 4:2:0 chroma needs even dimensions.
 */
public record RenditionSpec(int height, long videoBitrate, long audioBitrate) {
    public static final int MIN_HEIGHT = 64;
    public static final int MAX_HEIGHT = 4320;

    public RenditionSpec {
        if (height < MIN_HEIGHT || height > MAX_HEIGHT || height % 2 != 0) {
            throw new IllegalArgumentException("height must be an even number from " + MIN_HEIGHT + " to " + MAX_HEIGHT
                    + ", was " + height);
        }
        if (videoBitrate <= 0 || audioBitrate <= 0) {
            throw new IllegalArgumentException("bitrates must be positive");
        }
    }

    /** The name used for the rendition's directory and in the master playlist, e.g. {@code 720p}. */
    public String name() {
        return height + "p";
    }
}
