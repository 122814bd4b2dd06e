package dev.longshore.local.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    @ParameterizedTest
    @CsvSource({"0.85, 850ms", "4.21, 4.2s", "31, 31s", "200, 3m 20s", "7500, 2h 05m"})
    void formatsShortAndReadable(double seconds, String shown) {
        assertEquals(shown, Figures.format(seconds));
    }
}
