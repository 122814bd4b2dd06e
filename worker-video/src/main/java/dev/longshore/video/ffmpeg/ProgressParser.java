package dev.longshore.video.ffmpeg;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads ffmpeg's {@code -progress} stream: {@code key=value} lines, each block ending with
 * {@code progress=continue} or {@code progress=end}. Feed it lines; it hands back a {@link Progress} at the end
 * of each block. Not thread-safe: one parser per process, fed by that process's reader thread.
 */
public final class ProgressParser {
    private static final Pattern CLOCK = Pattern.compile("(-?)(\\d+):(\\d{2}):(\\d{2})(?:\\.(\\d{1,6}))?");

    private long frame = -1;
    private long outTimeMicros = -1;
    private double speed = -1;

    /** Returns the completed block when {@code line} ends one. Unknown keys and malformed values are ignored. */
    public Optional<Progress> accept(String line) {
        int eq = line.indexOf('=');
        if (eq <= 0) {
            return Optional.empty();
        }
        String key = line.substring(0, eq).trim();
        String value = line.substring(eq + 1).trim();
        switch (key) {
            case "frame" -> frame = parseLong(value, frame);
            // ffmpeg before 7 also prints out_time_ms, which despite its name holds microseconds too.
            case "out_time_us", "out_time_ms" -> outTimeMicros = parseLong(value, outTimeMicros);
            case "out_time" -> {
                long fromClock = parseClock(value);
                if (fromClock >= 0 && outTimeMicros < 0) {
                    outTimeMicros = fromClock;
                }
            }
            case "speed" -> speed = parseSpeed(value, speed);
            case "progress" -> {
                Progress p = new Progress(frame, outTimeMicros, speed, "end".equals(value));
                frame = -1;
                outTimeMicros = -1;
                speed = -1;
                return Optional.of(p);
            }
            default -> {
                // bitrate, total_size, fps, dup_frames...: not needed for a percentage
            }
        }
        return Optional.empty();
    }

    private static long parseLong(String value, long fallback) {
        try {
            long v = Long.parseLong(value);
            // Before the first packet ffmpeg may print a negative time; treat it as not known yet.
            return v < 0 ? -1 : v;
        } catch (NumberFormatException e) {
            return "N/A".equals(value) ? -1 : fallback;
        }
    }

    static long parseClock(String value) {
        Matcher m = CLOCK.matcher(value);
        if (!m.matches() || !m.group(1).isEmpty()) {
            return -1;
        }
        long micros = (Long.parseLong(m.group(2)) * 3600 + Long.parseLong(m.group(3)) * 60 + Long.parseLong(m.group(4)))
                * 1_000_000L;
        if (m.group(5) != null) {
            String frac = (m.group(5) + "000000").substring(0, 6);
            micros += Long.parseLong(frac);
        }
        return micros;
    }

    private static double parseSpeed(String value, double fallback) {
        String v = value.endsWith("x") ? value.substring(0, value.length() - 1).trim() : value;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return "N/A".equals(value) ? -1 : fallback;
        }
    }
}
