package dev.longshore.video.ffmpeg;

/**
 * One block of ffmpeg's {@code -progress} output.
 *
 * @param frame          frames encoded so far, or -1 when ffmpeg said N/A
 * @param outTimeMicros  media time written so far, or -1 when unknown
 * @param speed          encoding speed relative to real time, or -1 when unknown
 * @param finished       the last block ({@code progress=end})
 */
public record Progress(long frame, long outTimeMicros, double speed, boolean finished) {

    /** Fraction of {@code durationMicros} done, clamped to [0, 1]; 0 when either is unknown. */
    public double fractionOf(long durationMicros) {
        if (durationMicros <= 0 || outTimeMicros < 0) {
            return 0;
        }
        return Math.min(1.0, Math.max(0.0, (double) outTimeMicros / durationMicros));
    }
}
