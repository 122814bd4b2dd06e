package dev.longshore.video.ladder;

/**
 * One rendition to encode: frame size and bitrates (bits per second), all computed by the planner.
 *
 * @param name the directory and variant name, e.g. {@code 720p}
 */
public record Rendition(String name, int width, int height, long videoBitrate, long audioBitrate) {
    public Rendition {
        if (width < 2 || height < 2 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("frame size must be even and at least 2x2: " + width + "x" + height);
        }
        if (!name.matches("[0-9]{1,5}p")) {
            throw new IllegalArgumentException("rendition names are <height>p: " + name);
        }
    }
}
