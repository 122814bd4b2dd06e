package dev.longshore.core.fleet;

import dev.longshore.core.WorkerState;
import dev.longshore.core.metrics.HistogramSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.StatisticSet;

/**
 * Turns two samples into CloudWatch datums, all with the same dimensions (AutoScalingGroupName when known, and
 * WorkerName) so they aggregate per group and worker:
 * <ul>
 *   <li>{@code MessagesProcessed} (Count, plus dimension Outcome=success|retry|dead): finished since the last
 *       publish</li>
 *   <li>{@code InflightMessages} (Count): now; Sum across the group is the work in progress, what a scaling
 *       policy should add to the visible backlog</li>
 *   <li>{@code ProcessingTime} (Seconds, a statistic set; only when something finished): SampleCount and Sum are
 *       exact; Minimum and Maximum are the bounds of the lowest and highest histogram bucket that saw a job
 *       (exact when one job finished)</li>
 *   <li>{@code WorkerState} (None, plus dimension State): 1 for the current state, 0 for the others, so a Sum
 *       per state counts the workers in it</li>
 * </ul>
 */
final class CloudWatchDatums {
    static final String[] OUTCOMES = {"success", "retry", "dead"};

    private CloudWatchDatums() {
    }

    static List<MetricDatum> between(MetricSample before, MetricSample now, List<Dimension> dimensions, Instant at) {
        List<MetricDatum> out = new ArrayList<>();
        for (String outcome : OUTCOMES) {
            long delta = Math.max(0, now.outcomes().getOrDefault(outcome, 0L) - before.outcomes().getOrDefault(outcome, 0L));
            out.add(datum("MessagesProcessed", dimensions, "Outcome", outcome, at)
                    .value((double) delta).unit(StandardUnit.COUNT).build());
        }
        out.add(datum("InflightMessages", dimensions, null, null, at).value(now.inflight()).unit(StandardUnit.COUNT).build());
        StatisticSet processing = processing(before.processing(), now.processing());
        if (processing != null) {
            out.add(datum("ProcessingTime", dimensions, null, null, at).statisticValues(processing)
                    .unit(StandardUnit.SECONDS).build());
        }
        for (WorkerState s : WorkerState.values()) {
            out.add(datum("WorkerState", dimensions, "State", s.name(), at).value(s == now.state() ? 1.0 : 0.0)
                    .unit(StandardUnit.NONE).build());
        }
        return out;
    }

    /** The statistic set of the observations between two snapshots, or null when there were none. */
    static StatisticSet processing(HistogramSnapshot before, HistogramSnapshot now) {
        long count = now.count() - before.count();
        if (count <= 0) {
            return null;
        }
        double sum = Math.max(0, now.sum() - before.sum());
        double mean = sum / count;
        if (count == 1) {
            return StatisticSet.builder().sampleCount(1.0).sum(sum).minimum(sum).maximum(sum).build();
        }
        double[] bounds = now.bounds();
        int lowest = -1;
        int highest = -1;
        for (int i = 0; i <= bounds.length; i++) {
            if (now.inBucket(i) - before.inBucket(i) > 0) {
                if (lowest < 0) {
                    lowest = i;
                }
                highest = i;
            }
        }
        double min = lowest <= 0 ? 0 : bounds[lowest - 1];
        double max = highest < 0 || highest >= bounds.length ? Math.max(bounds[bounds.length - 1], mean) : bounds[highest];
        return StatisticSet.builder().sampleCount((double) count).sum(sum)
                .minimum(Math.min(min, mean)).maximum(Math.max(max, mean)).build();
    }

    private static MetricDatum.Builder datum(String name, List<Dimension> dimensions, String extraName,
                                             String extraValue, Instant at) {
        List<Dimension> dims = new ArrayList<>(dimensions);
        if (extraName != null) {
            dims.add(Dimension.builder().name(extraName).value(extraValue).build());
        }
        return MetricDatum.builder().metricName(name).dimensions(dims).timestamp(at);
    }
}
