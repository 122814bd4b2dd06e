package dev.longshore.local.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void parsesTheWorkersUnitsAndBareSeconds() {
        assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
        assertEquals(Duration.ofMillis(2500), Durations.parse("2.5s"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
        assertEquals(Duration.ofHours(24), Durations.parse("1d"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("90"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("5 minutes"));
    }

    @Test
    void formatsShortAndReadable() {
        assertEquals("850ms", Durations.format(0.85));
        assertEquals("4.2s", Durations.format(4.21));
        assertEquals("31s", Durations.format(31));
        assertEquals("3m 20s", Durations.format(200));
        assertEquals("2h 05m", Durations.format(7500));
    }
}
