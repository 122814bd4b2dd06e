package dev.longshore.local.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FiguresTest {
    @Test
    void parsesTheWorkersUnitsAndBareSeconds() {
        assertEquals(Duration.ofMillis(250), Figures.parse("250ms"));
        assertEquals(Duration.ofMillis(2500), Figures.parse("2500ms"));
        assertEquals(Duration.ofMinutes(5), Figures.parse("5m"));
        assertEquals(Duration.ofHours(24), Figures.parse("24h"));
        assertEquals(Duration.ofSeconds(90), Figures.parse("90"));
        assertThrows(IllegalArgumentException.class, () -> Figures.parse("5 minutes"));
        // one grammar with the workers: what a worker refuses, the planner refuses too
        assertThrows(IllegalArgumentException.class, () -> Figures.parse("2.5s"));
        assertThrows(IllegalArgumentException.class, () -> Figures.parse("1d"));
    }

    @Test
    void formatsShortAndReadable() {
        assertEquals("850ms", Figures.format(0.85));
        assertEquals("4.2s", Figures.format(4.21));
        assertEquals("31s", Figures.format(31));
        assertEquals("3m 20s", Figures.format(200));
        assertEquals("2h 05m", Figures.format(7500));
    }
}
