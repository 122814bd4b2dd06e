package dev.longshore.core.metrics;

import dev.longshore.core.WorkerState;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The worker's metrics, exported in Prometheus text format. The core's metric names are part of the operator
 * contract; workers may register their own with the {@code longshore_} prefix.
 */
public final class Metrics {
    public final Counter received = new Counter();
    public final Counter succeeded = new Counter();
    public final Counter retried = new Counter();
    public final Counter deadLettered = new Counter();
    public final Counter released = new Counter();
    public final Counter visibilityExtensions = new Counter();
    public final Counter receiveErrors = new Counter();
    public final Counter deleteErrors = new Counter();
    public final Counter duplicatesSkipped = new Counter();
    public final Histogram processingSeconds = new Histogram(Histogram.DEFAULT_BUCKETS);

    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();
    private final Map<String, Counter> extraCounters = new ConcurrentHashMap<>();
    private final Map<String, LabelledCounters> labelledCounters = new ConcurrentHashMap<>();
    private volatile DoubleSupplier inflight = () -> 0;
    private volatile Supplier<WorkerState> state = () -> WorkerState.INIT;

    private record Gauge(String help, DoubleSupplier value) {
    }

    /** One counter family with one label; the values are the caller's fixed set, so the series stay few. */
    private record LabelledCounters(String help, String label, Map<String, Counter> byValue) {
    }

    public void bindInflight(DoubleSupplier supplier) {
        this.inflight = supplier;
    }

    public void bindState(Supplier<WorkerState> supplier) {
        this.state = supplier;
    }

    /** Registers a worker-specific gauge, e.g. {@code longshore_video_progress_ratio}. */
    public void gauge(String name, String help, DoubleSupplier value) {
        checkName(name);
        gauges.put(name, new Gauge(help, value));
    }

    /** A worker-specific counter, created on first use. */
    public Counter counter(String name) {
        checkName(name);
        return extraCounters.computeIfAbsent(name, n -> new Counter());
    }

    /**
     * A worker-specific counter family with one label, e.g. {@code longshore_webhook_requests_total{outcome="2xx"}}.
     * Every value is registered (and exported, at 0) up front; a value outside them is refused, which keeps the
     * number of series bounded whatever the messages say.
     */
    public Map<String, Counter> labelledCounters(String name, String help, String label, List<String> values) {
        checkName(name);
        if (!label.matches("[a-z_][a-z0-9_]*") || values.stream().anyMatch(v -> !v.matches("[A-Za-z0-9_.-]+"))) {
            throw new IllegalArgumentException("label and values use [a-z0-9_] (values also [A-Z.-]): " + label + values);
        }
        return labelledCounters.computeIfAbsent(name, n -> {
            Map<String, Counter> byValue = new java.util.LinkedHashMap<>();
            values.forEach(v -> byValue.put(v, new Counter()));
            return new LabelledCounters(help, label, java.util.Collections.unmodifiableMap(byValue));
        }).byValue();
    }

    public double inflight() {
        return inflight.getAsDouble();
    }

    public WorkerState state() {
        return state.get();
    }

    public String prometheusText() {
        StringBuilder out = new StringBuilder(2048);
        counter(out, "longshore_messages_received_total", "Messages received from SQS.", received.value());
        out.append("# HELP longshore_messages_processed_total Messages finished, by outcome.\n");
        out.append("# TYPE longshore_messages_processed_total counter\n");
        out.append("longshore_messages_processed_total{outcome=\"success\"} ").append(succeeded.value()).append('\n');
        out.append("longshore_messages_processed_total{outcome=\"retry\"} ").append(retried.value()).append('\n');
        out.append("longshore_messages_processed_total{outcome=\"dead\"} ").append(deadLettered.value()).append('\n');
        counter(out, "longshore_messages_released_total",
                "Messages given back to the queue unprocessed (drain, cancellation).", released.value());
        gauge(out, "longshore_inflight_messages", "Messages received and not yet finished.", inflight());
        histogram(out, "longshore_processing_seconds", "Time from receive to outcome.", processingSeconds);
        counter(out, "longshore_visibility_extensions_total", "Visibility timeouts extended for running jobs.",
                visibilityExtensions.value());
        counter(out, "longshore_receive_errors_total", "ReceiveMessage calls that failed.", receiveErrors.value());
        counter(out, "longshore_delete_errors_total", "DeleteMessage entries that failed and were retried.",
                deleteErrors.value());
        counter(out, "longshore_duplicates_skipped_total",
                "Redeliveries of jobs this process already finished, acknowledged without running again.",
                duplicatesSkipped.value());
        out.append("# HELP longshore_state 1 for the worker's current state.\n");
        out.append("# TYPE longshore_state gauge\n");
        WorkerState current = state();
        for (WorkerState s : WorkerState.values()) {
            out.append("longshore_state{state=\"").append(s.name()).append("\"} ")
                    .append(s == current ? 1 : 0).append('\n');
        }
        List<String> names = new ArrayList<>(extraCounters.keySet());
        names.sort(null);
        for (String name : names) {
            counter(out, name, "Worker-specific counter.", extraCounters.get(name).value());
        }
        names = new ArrayList<>(labelledCounters.keySet());
        names.sort(null);
        for (String name : names) {
            LabelledCounters family = labelledCounters.get(name);
            out.append("# HELP ").append(name).append(' ').append(family.help()).append('\n');
            out.append("# TYPE ").append(name).append(" counter\n");
            family.byValue().forEach((value, c) -> out.append(name).append('{').append(family.label()).append("=\"")
                    .append(value).append("\"} ").append(c.value()).append('\n'));
        }
        names = new ArrayList<>(gauges.keySet());
        names.sort(null);
        for (String name : names) {
            Gauge g = gauges.get(name);
            gauge(out, name, g.help(), g.value().getAsDouble());
        }
        return out.toString();
    }

    /** Current counts by outcome, for publishers (CloudWatch) that send deltas. */
    public Map<String, Long> outcomeTotals() {
        return Map.of("success", succeeded.value(), "retry", retried.value(), "dead", deadLettered.value());
    }

    public Map<WorkerState, Integer> stateFlags() {
        Map<WorkerState, Integer> flags = new EnumMap<>(WorkerState.class);
        WorkerState current = state();
        for (WorkerState s : WorkerState.values()) {
            flags.put(s, s == current ? 1 : 0);
        }
        return flags;
    }

    private static void checkName(String name) {
        if (!name.matches("longshore_[a-z0-9_]+")) {
            throw new IllegalArgumentException("metric names start with longshore_ and use [a-z0-9_]: " + name);
        }
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void gauge(StringBuilder out, String name, String help, double value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        out.append(name).append(' ').append(number(value)).append('\n');
    }

    private static void histogram(StringBuilder out, String name, String help, Histogram h) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" histogram\n");
        double[] bounds = h.bounds();
        long[] cumulative = h.cumulative();
        for (int i = 0; i < bounds.length; i++) {
            out.append(name).append("_bucket{le=\"").append(number(bounds[i])).append("\"} ")
                    .append(cumulative[i]).append('\n');
        }
        out.append(name).append("_bucket{le=\"+Inf\"} ").append(cumulative[bounds.length]).append('\n');
        out.append(name).append("_sum ").append(number(h.sum())).append('\n');
        out.append(name).append("_count ").append(cumulative[bounds.length]).append('\n');
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return Double.toString(v);
    }
}
