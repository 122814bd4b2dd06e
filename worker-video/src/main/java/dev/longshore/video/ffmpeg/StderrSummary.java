package dev.longshore.video.ffmpeg;

import java.util.List;

/** Turns the tail of ffmpeg's or ffprobe's stderr into a one-line failure reason. */
public final class StderrSummary {
    private static final int MAX_LINES = 3;
    private static final int MAX_CHARS = 600;

    private StderrSummary() {
    }

    /**
     * The last few lines, joined, without what means nothing to the sender: the {@code [mov,mp4 @ 0x55d1...]}
     * context prefixes and our scratch paths.
     */
    public static String of(String stderrTail, String fallback) {
        List<String> lines = stderrTail.strip().lines()
                .map(l -> l.replaceFirst("^\\[[^\\]]*@ 0x[0-9a-f]+\\]\\s*", ""))
                .map(l -> l.replaceFirst("^(file:)?/\\S*: ", ""))
                // Our demuxer whitelist is an internal setting, not part of the reason (docs/video.md: "Safety").
                .map(l -> l.replaceAll("whitelist '[^']*'", "whitelist"))
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .toList();
        if (lines.isEmpty()) {
            return fallback;
        }
        String joined = String.join("; ", lines.subList(Math.max(0, lines.size() - MAX_LINES), lines.size()));
        return joined.length() <= MAX_CHARS ? joined : joined.substring(0, MAX_CHARS - 3) + "...";
    }
}
