package dev.longshore.video.ffmpeg;

/**
 * The demuxers ffmpeg and ffprobe may use on an input, and the only protocol. Playlist and script formats
 * (hls, concat, image2 sequences, ffmetadata...) are left out on purpose: a crafted upload in those formats can
 * make ffmpeg read other local files or URLs and leak them into the output. Self-contained containers only.
 */
public final class InputFormats {
    public static final String FORMAT_WHITELIST =
            "mov,matroska,webm,avi,mpegts,mpeg,flv,asf,mxf,ogg,dv,h264,hevc,m4v,mpegvideo,yuv4mpegpipe,gif,nut";
    /**
     * What ffprobe may read: the video containers and the common audio-only ones, so that an mp3 or a wav is
     * told apart from a damaged file and refused as {@code no_video_stream} (docs/video.md: "Outcomes"). These
     * are self-contained too; ffmpeg itself never gets them, since a job without video stops at the probe.
     */
    public static final String PROBE_FORMAT_WHITELIST = FORMAT_WHITELIST + ",mp3,wav,w64,flac,aac,aiff,ac3,eac3,amr";
    /** The whitelist in words, for failure reasons: the internal list itself is not the sender's business. */
    public static final String DESCRIPTION = "MP4/MOV, Matroska/WebM, AVI, MPEG-TS/PS, FLV, ASF/WMV, MXF, Ogg, DV, "
            + "NUT, GIF or a raw H.264/HEVC/MPEG video stream";
    public static final String PROTOCOL_WHITELIST = "file";

    private InputFormats() {
    }
}
