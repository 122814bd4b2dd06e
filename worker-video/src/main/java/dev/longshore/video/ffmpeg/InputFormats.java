package dev.longshore.video.ffmpeg;

/**
 * The demuxers ffmpeg and ffprobe may use on an input, and the only protocol. Playlist and script formats
 * (hls, concat, image2 sequences, ffmetadata...) are left out on purpose: a crafted upload in those formats can
 * make ffmpeg read other local files or URLs and leak them into the output. Self-contained containers only.
 */
public final class InputFormats {
    public static final String FORMAT_WHITELIST =
            "mov,matroska,webm,avi,mpegts,mpeg,flv,asf,mxf,ogg,dv,h264,hevc,m4v,mpegvideo,yuv4mpegpipe,gif,nut";
    public static final String PROTOCOL_WHITELIST = "file";

    private InputFormats() {
    }
}
