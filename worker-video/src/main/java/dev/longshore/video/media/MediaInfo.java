package dev.longshore.video.media;

/**
 * What ffprobe found in the input.
 *
 * @param durationSeconds media duration
 * @param width           displayed width: sample aspect ratio and rotation applied, as ffmpeg's filters see it
 * @param height          displayed height
 * @param frameRate       frames per second, or 0 when unknown
 * @param videoCodec      e.g. h264
 * @param hasAudio        whether there is an audio stream to carry into the renditions
 * @param formatName      the demuxer ffprobe picked, e.g. {@code mov,mp4,m4a,3gp,3g2,mj2}
 */
public record MediaInfo(double durationSeconds, int width, int height, double frameRate, String videoCodec,
                        boolean hasAudio, String formatName) {

    public long durationMicros() {
        return Math.round(durationSeconds * 1_000_000);
    }
}
