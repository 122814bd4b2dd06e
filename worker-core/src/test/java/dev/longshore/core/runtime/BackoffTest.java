package dev.longshore.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void ceilingDoublesFromTheBaseAndStopsAtTheMaximum() {
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 1.0);
        assertEquals(Duration.ofMillis(500), b.ceiling(0));
        assertEquals(Duration.ofMillis(500), b.ceiling(1));
        assertEquals(Duration.ofSeconds(1), b.ceiling(2));
        assertEquals(Duration.ofSeconds(16), b.ceiling(6));
        assertEquals(Duration.ofSeconds(30), b.ceiling(7));
        assertEquals(Duration.ofSeconds(30), b.ceiling(Integer.MAX_VALUE));
    }

    @Test
    void theInjectedRandomPicksBetweenHalfAndTheWholeCeiling() {
        assertEquals(Duration.ofSeconds(2), new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), () -> 0.0).delay(3));
        assertEquals(Duration.ofSeconds(3), new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), () -> 0.5).delay(3));
        assertEquals(Duration.ofSeconds(4), new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), () -> 7.0).delay(3));
    }

    @Test
    void aZeroBaseNeverWaits() {
        assertEquals(Duration.ZERO, new Backoff(Duration.ZERO, Duration.ofMinutes(1), () -> 1.0).delay(40));
    }
}
