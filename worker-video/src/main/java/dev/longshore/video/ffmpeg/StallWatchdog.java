package dev.longshore.video.ffmpeg;

import dev.longshore.core.process.Liveness;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Says a transcode has stalled when neither its media time nor its frame count has grown for the stall
 * timeout. Progress blocks that repeat the same position do not count: ffmpeg keeps printing them while
 * blocked on a dead input or a wedged filter. The clock starts at construction, so a process that never
 * reports anything stalls too.
 */
public final class StallWatchdog implements Liveness {
    private final Clock clock;
    private final Duration stallTimeout;
    private long bestOutTime = -1;
    private long bestFrame = -1;
    private Instant lastAdvance;

    public StallWatchdog(Clock clock, Duration stallTimeout) {
        this.clock = clock;
        this.stallTimeout = stallTimeout;
        this.lastAdvance = clock.instant();
    }

    /** Records a progress block (called from the process's reader thread). */
    public synchronized void observe(Progress p) {
        boolean advanced = false;
        if (p.outTimeMicros() > bestOutTime) {
            bestOutTime = p.outTimeMicros();
            advanced = true;
        }
        if (p.frame() > bestFrame) {
            bestFrame = p.frame();
            advanced = true;
        }
        if (advanced) {
            lastAdvance = clock.instant();
        }
    }

    @Override
    public synchronized boolean isAdvancing(Instant now) {
        return Duration.between(lastAdvance, now).compareTo(stallTimeout) < 0;
    }

    /** How long since the last advance, for the failure reason. */
    public synchronized Duration sinceLastAdvance(Instant now) {
        return Duration.between(lastAdvance, now);
    }
}
