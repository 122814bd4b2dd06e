package dev.longshore.local.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PercentilesTest {
    @Test
    void nearestRankOnTenValues() {
        Percentiles p = new Percentiles(new double[] {10, 9, 8, 7, 6, 5, 4, 3, 2, 1});
        assertEquals(5, p.at(50));
        assertEquals(9, p.at(90));
        assertEquals(10, p.at(99));
        assertEquals(1, p.at(1));
        assertEquals(10, p.max());
        assertEquals(5.5, p.mean());
    }

    @Test
    void noValuesGiveNaN() {
        Percentiles p = new Percentiles(new double[0]);
        assertTrue(Double.isNaN(p.at(50)));
        assertEquals("-", Figures.format(p.max()));
    }
}
