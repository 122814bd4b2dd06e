package dev.longshore.video.request;

import java.util.OptionalDouble;

/**
 * A poster image taken from the source.
 *
 * @param atSeconds where to take it; empty means a quarter into the video
 * @param height    image height, never more than the source's
 */
public record ThumbnailSpec(OptionalDouble atSeconds, int height) {
    public static final int DEFAULT_HEIGHT = 360;
}
