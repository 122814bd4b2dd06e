package dev.longshore.video.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StallWatchdogTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    private final StallWatchdog watchdog = new StallWatchdog(clock, Duration.ofSeconds(30));

    @Test
    void processThatNeverReportsStallsAfterTheTimeout() {
        clock.advance(Duration.ofSeconds(29));
        assertTrue(watchdog.isAdvancing(clock.instant()));
        clock.advance(Duration.ofSeconds(1));
        assertFalse(watchdog.isAdvancing(clock.instant()));
    }

    @Test
    void advancingMediaTimeKeepsItAlive() {
        for (int i = 1; i <= 10; i++) {
            clock.advance(Duration.ofSeconds(20));
            watchdog.observe(new Progress(-1, i * 1_000_000L, 1, false));
            assertTrue(watchdog.isAdvancing(clock.instant()), "tick " + i);
        }
    }

    @Test
    void repeatedBlocksAtTheSamePositionDoNotCountAsProgress() {
        watchdog.observe(new Progress(100, 4_000_000, 1, false));
        for (int i = 0; i < 6; i++) {
            clock.advance(Duration.ofSeconds(5));
            watchdog.observe(new Progress(100, 4_000_000, 0, false));
        }
        assertFalse(watchdog.isAdvancing(clock.instant()));
        assertEquals(Duration.ofSeconds(30), watchdog.sinceLastAdvance(clock.instant()));
    }

    @Test
    void growingFrameCountCountsEvenWhenTimeIsUnknown() {
        clock.advance(Duration.ofSeconds(25));
        watchdog.observe(new Progress(10, -1, -1, false));
        clock.advance(Duration.ofSeconds(25));
        assertTrue(watchdog.isAdvancing(clock.instant()));
    }
}
