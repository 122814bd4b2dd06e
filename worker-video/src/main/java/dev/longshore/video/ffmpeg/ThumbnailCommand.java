package dev.longshore.video.ffmpeg;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One JPEG frame from the source. Built only from numbers and scratch paths, like {@link HlsCommand}.
 *
 * @param atSeconds seek position (already clamped into the video by the caller)
 * @param source    the video stream and the picture filters the renditions get (deinterlacing, tone mapping), so
 *                  the thumbnail looks like the video
 */
public record ThumbnailCommand(Path ffmpeg, Path input, Path output, double atSeconds, int width, int height,
                               int threads, SourcePlan source) {
    public static final String FILE_NAME = "thumbnail.jpg";

    public List<String> arguments() {
        String t = String.valueOf(threads);
        return List.of(ffmpeg.toString(), "-hide_banner", "-nostdin", "-y", "-nostats", "-loglevel", "error",
                "-threads", t,
                "-protocol_whitelist", InputFormats.PROTOCOL_WHITELIST,
                "-format_whitelist", InputFormats.FORMAT_WHITELIST,
                // Seeking before -i jumps to the nearest keyframe instead of decoding everything up to the frame.
                "-ss", String.format(Locale.ROOT, "%.3f", atSeconds),
                "-i", "file:" + input,
                "-map", "0:" + source.videoStream(),
                "-frames:v", "1",
                "-vf", String.join(",", source.filters()) + (source.filters().isEmpty() ? "" : ",")
                        + "scale=" + width + ":" + height + ",setsar=1",
                "-q:v", "3",
                "-threads", t,
                "-f", "image2", "-update", "1",
                output.toString());
    }
}
