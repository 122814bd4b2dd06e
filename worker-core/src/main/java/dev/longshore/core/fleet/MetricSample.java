package dev.longshore.core.fleet;

import dev.longshore.core.WorkerState;
import dev.longshore.core.metrics.HistogramSnapshot;
import dev.longshore.core.metrics.Metrics;
import java.util.Map;

/**
 * The worker's metrics at one moment, as far as CloudWatch is concerned.
 *
 * @param outcomes   processed totals by outcome (success, retry, dead)
 * @param processing the processing-time histogram
 * @param inflight   messages received and not finished
 * @param state      the worker's state
 */
record MetricSample(Map<String, Long> outcomes, HistogramSnapshot processing, double inflight, WorkerState state) {
    MetricSample {
        outcomes = Map.copyOf(outcomes);
    }

    static MetricSample of(Metrics metrics) {
        return new MetricSample(metrics.outcomeTotals(), HistogramSnapshot.of(metrics.processingSeconds()),
                metrics.inflight(), metrics.state());
    }

    /** Nothing processed yet: the baseline of a fresh process. */
    static MetricSample zero(Metrics metrics) {
        return new MetricSample(Map.of("success", 0L, "retry", 0L, "dead", 0L),
                HistogramSnapshot.empty(metrics.processingSeconds()), metrics.inflight(), metrics.state());
    }
}
