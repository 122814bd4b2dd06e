package dev.longshore.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LabelledCounterTest {
    @Test
    void eachLabelCombinationIsOneSeriesInPrometheusTextWithValuesEscaped() {
        Metrics metrics = new Metrics();
        LabelledCounter jobs = metrics.labelledCounter("longshore_test_jobs_total", "Jobs.", "task", "outcome");
        jobs.increment("a", "success");
        jobs.increment("a", "success");
        jobs.increment("b\"\\\n", "failed");
        assertSame(jobs, metrics.labelledCounter("longshore_test_jobs_total", "Jobs.", "task", "outcome"));
        assertEquals(2, jobs.value("a", "success"));
        String text = metrics.prometheusText();
        assertTrue(text.contains("""
                # HELP longshore_test_jobs_total Jobs.
                # TYPE longshore_test_jobs_total counter
                longshore_test_jobs_total{task="a",outcome="success"} 2
                longshore_test_jobs_total{task="b\\"\\\\\\n",outcome="failed"} 1
                """), text);
    }

    @Test
    void labelsAreCheckedWhereTheFamilyIsMadeAndUsed() {
        Metrics metrics = new Metrics();
        LabelledCounter c = metrics.labelledCounter("longshore_test_total", "T.", "task");
        assertThrows(IllegalArgumentException.class, () -> c.increment("a", "b"));
        assertThrows(IllegalArgumentException.class, () -> metrics.labelledCounter("longshore_test_total", "T.", "x"));
        assertThrows(IllegalArgumentException.class, () -> metrics.labelledCounter("longshore_other", "T.", "Bad-Label"));
    }
}
