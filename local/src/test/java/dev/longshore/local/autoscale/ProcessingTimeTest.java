package dev.longshore.local.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProcessingTimeTest {
    private static double sampleMean(ProcessingTime p, int n) {
        SplittableRandom r = new SplittableRandom(3);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += p.sample(r);
        }
        return sum / n;
    }

    @Test
    void constantIsAlwaysTheSameAndABareDurationMeansConstant() {
        SplittableRandom r = new SplittableRandom(1);
        assertEquals(3.0, ProcessingTime.parse("const:3s").sample(r));
        assertEquals(90.0, ProcessingTime.parse("90s").sample(r));
        assertEquals(0.25, ProcessingTime.parse("250ms").mean());
    }

    @Test
    void uniformStaysInItsRange() {
        ProcessingTime p = ProcessingTime.parse("uniform:2s-4s");
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            double v = p.sample(r);
            assertTrue(v >= 2 && v <= 4, "sample " + v);
        }
        assertEquals(3.0, p.mean());
        assertEquals(3.0, sampleMean(p, 20_000), 0.03);
    }

    @Test
    void exponentialAndLognormalHaveTheMeanTheyWereGiven() {
        assertEquals(30, sampleMean(ProcessingTime.parse("exp:30s"), 50_000), 30 * 0.03);
        ProcessingTime logn = ProcessingTime.parse("lognormal:60s,30s");
        assertEquals(60, logn.mean(), 1e-9);
        assertEquals(60, sampleMean(logn, 50_000), 60 * 0.03);
    }

    @Test
    void badDistributionIsRefusedNamingTheExpectedForms() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProcessingTime.parse("gauss:3s"));
        assertTrue(e.getMessage().contains("uniform:2s-4s"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProcessingTime.parse("uniform:4s-2s"));
        assertThrows(IllegalArgumentException.class, () -> ProcessingTime.parse("const:0"));
        assertThrows(IllegalArgumentException.class, () -> ProcessingTime.parse("lognormal:3s"));
    }
}
