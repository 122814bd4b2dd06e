package dev.longshore.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void jobsAreCountedByTypeOutcomeAndErrorCode() {
        Metrics m = new Metrics();
        m.jobFinished("notify.webhook", "success", null);
        m.jobFinished("notify.webhook", "retry", "http_503");
        m.jobFinished("notify.webhook", "retry", "http_503");
        m.jobFinished(Metrics.UNKNOWN_TYPE, "dead", "invalid_job");
        String text = m.prometheusText();
        assertTrue(text.contains("longshore_jobs_total{type=\"notify.webhook\",outcome=\"success\",error=\"none\"} 1\n"), text);
        assertTrue(text.contains("longshore_jobs_total{type=\"notify.webhook\",outcome=\"retry\",error=\"http_503\"} 2\n"), text);
        assertTrue(text.contains("longshore_jobs_total{type=\"unknown\",outcome=\"dead\",error=\"invalid_job\"} 1\n"), text);
    }

    @Test
    void distinctErrorCodesPastTheCapAreCountedAsOther() {
        Metrics m = new Metrics();
        for (int i = 0; i < Metrics.MAX_ERROR_VALUES + 10; i++) {
            m.jobFinished("t", "retry", "code_" + i);
        }
        m.jobFinished("t", "retry", "code_0");
        assertEquals(2, m.jobs().value("t", "retry", "code_0"), "codes seen before the cap keep their series");
        assertEquals(10, m.jobs().value("t", "retry", Metrics.OTHER_ERROR));
        assertEquals(Metrics.MAX_ERROR_VALUES + 1, m.jobs().snapshot().size());
    }

    @Test
    void existingNamesStayAndJvmMemoryIsExported() {
        String text = new Metrics().prometheusText();
        for (String name : new String[] {"longshore_messages_received_total", "longshore_messages_processed_total{outcome=\"success\"}",
                "longshore_inflight_messages", "longshore_processing_seconds_count", "longshore_state{state=",
                "longshore_jvm_heap_used_bytes ", "longshore_jvm_nonheap_used_bytes "}) {
            assertTrue(text.contains(name), name + " in\n" + text);
        }
        double heap = Double.parseDouble(text.lines().filter(l -> l.startsWith("longshore_jvm_heap_used_bytes "))
                .findFirst().orElseThrow().split(" ")[1]);
        assertTrue(heap > 0, "heap in use: " + heap);
    }

    @Test
    void residentSetSizeLineIsParsedInKibibytes() {
        assertEquals(123456, ProcessMemory.parseKiB("\t  123456 kB"));
    }
}
