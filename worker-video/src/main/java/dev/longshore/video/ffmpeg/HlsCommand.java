package dev.longshore.video.ffmpeg;

import dev.longshore.video.ladder.LadderPlanner;
import dev.longshore.video.ladder.Rendition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the one ffmpeg invocation that decodes the source once and encodes every rendition to HLS.
 *
 * <p>Every element is built here from numbers and from paths inside the job's scratch directory; nothing from
 * the message is copied in, so nothing a sender writes can become an option, a protocol or a filter.
 *
 * @param ffmpeg         the executable
 * @param input          the local input (a file or a link in scratch)
 * @param outputDir      scratch directory that receives master.m3u8 and one sub-directory per rendition
 * @param renditions     the planned ladder, tallest first
 * @param source         the streams to read and the picture filters shared by every rendition
 * @param segmentSeconds HLS segment length; keyframes are forced on segment boundaries
 * @param threads        the container's CPU share for this job (decoder, filters and encoders)
 * @param preset         x264 preset, validated against the known list at start
 */
public record HlsCommand(Path ffmpeg, Path input, Path outputDir, List<Rendition> renditions, SourcePlan source,
                         int segmentSeconds, int threads, String preset) {
    public static final String MASTER_PLAYLIST = "master.m3u8";
    public static final String MEDIA_PLAYLIST = "index.m3u8";
    public static final String SEGMENT_PATTERN = "segment_%05d.ts";

    public HlsCommand {
        Objects.requireNonNull(ffmpeg);
        Objects.requireNonNull(source);
        renditions = List.copyOf(renditions);
        if (renditions.isEmpty()) {
            throw new IllegalArgumentException("no renditions");
        }
        if (!input.isAbsolute() || !outputDir.isAbsolute()) {
            throw new IllegalArgumentException("ffmpeg gets absolute paths only");
        }
    }

    public List<String> arguments() {
        String t = String.valueOf(threads);
        List<String> a = new ArrayList<>(List.of(ffmpeg.toString(),
                "-hide_banner", "-nostdin", "-y", "-nostats", "-loglevel", "error",
                "-progress", "pipe:1",
                "-threads", t,
                "-protocol_whitelist", InputFormats.PROTOCOL_WHITELIST,
                "-format_whitelist", InputFormats.FORMAT_WHITELIST,
                "-i", "file:" + input,
                "-filter_complex", filterGraph(),
                "-filter_complex_threads", t));
        for (int i = 0; i < renditions.size(); i++) {
            a.add("-map");
            a.add("[v" + i + "]");
            if (source.hasAudio()) {
                a.add("-map");
                a.add("0:" + source.audioStream().getAsInt());
            }
        }
        a.addAll(List.of("-c:v", "libx264", "-preset", preset, "-profile:v", "high", "-pix_fmt", "yuv420p",
                // Every segment starts on a keyframe, so renditions switch cleanly at segment boundaries.
                "-sc_threshold", "0", "-force_key_frames", "expr:gte(t,n_forced*" + segmentSeconds + ")"));
        if (source.tagBt709()) {
            a.addAll(List.of("-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709"));
        }
        for (int i = 0; i < renditions.size(); i++) {
            Rendition r = renditions.get(i);
            a.addAll(List.of("-b:v:" + i, String.valueOf(r.videoBitrate()),
                    "-maxrate:v:" + i, String.valueOf(LadderPlanner.maxRateOf(r)),
                    "-bufsize:v:" + i, String.valueOf(LadderPlanner.bufferSizeOf(r))));
        }
        if (source.hasAudio()) {
            a.addAll(List.of("-c:a", "aac", "-ac", "2", "-ar", "48000"));
            for (int i = 0; i < renditions.size(); i++) {
                a.addAll(List.of("-b:a:" + i, String.valueOf(renditions.get(i).audioBitrate())));
            }
        }
        a.addAll(List.of("-threads", t,
                "-f", "hls",
                "-hls_time", String.valueOf(segmentSeconds),
                "-hls_playlist_type", "vod",
                "-hls_flags", "independent_segments",
                "-hls_segment_type", "mpegts",
                "-hls_segment_filename", outputDir + "/%v/" + SEGMENT_PATTERN,
                "-master_pl_name", MASTER_PLAYLIST,
                "-var_stream_map", streamMap(),
                outputDir + "/%v/" + MEDIA_PLAYLIST));
        return List.copyOf(a);
    }

    /**
     * Decode once, apply the shared filters, split, scale each branch:
     * {@code [0:0]bwdif=...,split=2[s0][s1];[s0]scale=1280:720,setsar=1[v0];...}.
     */
    String filterGraph() {
        StringBuilder g = new StringBuilder("[0:").append(source.videoStream()).append(']');
        for (String f : source.filters()) {
            g.append(f).append(',');
        }
        g.append("split=").append(renditions.size());
        for (int i = 0; i < renditions.size(); i++) {
            g.append("[s").append(i).append(']');
        }
        for (int i = 0; i < renditions.size(); i++) {
            Rendition r = renditions.get(i);
            g.append(";[s").append(i).append("]scale=").append(r.width()).append(':').append(r.height())
                    .append(",setsar=1[v").append(i).append(']');
        }
        return g.toString();
    }

    /** {@code v:0,a:0,name:720p v:1,a:1,name:480p}: the name becomes the rendition's directory ({@code %v}). */
    String streamMap() {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < renditions.size(); i++) {
            entries.add("v:" + i + (source.hasAudio() ? ",a:" + i : "") + ",name:" + renditions.get(i).name());
        }
        return String.join(" ", entries);
    }
}
