package dev.longshore.core.metrics;

import dev.longshore.core.WorkerState;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The worker's metrics, exported in Prometheus text format. The core's metric names are listed in the README
 * (Health and metrics) and operators' dashboards rely on them; workers may register their own with the
 * {@code longshore_} prefix.
 */
public final class Metrics {
    /** {@code type} of a message whose body did not parse into a job of a registered type. */
    public static final String UNKNOWN_TYPE = "unknown";
    /** {@code error} of a success. */
    public static final String NO_ERROR = "none";
    /** {@code error} once {@link #MAX_ERROR_VALUES} distinct codes were seen: the series count stays bounded. */
    public static final String OTHER_ERROR = "other";
    /** Distinct error codes exported by {@code longshore_jobs_total}; codes come from the code, so 50 is ample. */
    public static final int MAX_ERROR_VALUES = 50;
    /** Longer codes are cut: a label value is not the place for a reason. */
    static final int MAX_ERROR_LENGTH = 64;

    private final Counter received = new Counter();
    private final Counter succeeded = new Counter();
    private final Counter retried = new Counter();
    private final Counter deadLettered = new Counter();
    private final Counter released = new Counter();
    private final Counter visibilityExtensions = new Counter();
    private final Counter receiveErrors = new Counter();
    private final Counter deleteErrors = new Counter();
    private final Counter duplicatesSkipped = new Counter();
    private final Histogram processingSeconds = new Histogram(Histogram.DEFAULT_BUCKETS);

    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();
    private final Map<String, Counter> extraCounters = new ConcurrentHashMap<>();
    private final Map<String, Family> families = new ConcurrentHashMap<>();
    private final LabelledCounter jobs = labelledCounter("longshore_jobs_total",
            "Jobs finished, by type, outcome and error code.", "type", "outcome", "error");
    private final Set<String> errorValues = ConcurrentHashMap.newKeySet();
    private volatile String buildVersion;
    private volatile String buildWorker;
    private volatile DoubleSupplier inflight = () -> 0;
    private volatile Supplier<WorkerState> state = () -> WorkerState.INIT;

    private record Gauge(String help, DoubleSupplier value) {
    }

    private record Family(String help, LabelledCounter counter) {
    }

    /** {@code longshore_messages_received_total}. */
    public Counter received() { return received; }

    /** {@code longshore_messages_processed_total{outcome="success"}}. */
    public Counter succeeded() { return succeeded; }

    /** {@code longshore_messages_processed_total{outcome="retry"}}. */
    public Counter retried() { return retried; }

    /** {@code longshore_messages_processed_total{outcome="dead"}}. */
    public Counter deadLettered() { return deadLettered; }

    /** {@code longshore_messages_released_total}. */
    public Counter released() { return released; }

    /** {@code longshore_visibility_extensions_total}. */
    public Counter visibilityExtensions() { return visibilityExtensions; }

    /** {@code longshore_receive_errors_total}. */
    public Counter receiveErrors() { return receiveErrors; }

    /** {@code longshore_delete_errors_total}. */
    public Counter deleteErrors() { return deleteErrors; }

    /** {@code longshore_duplicates_skipped_total}. */
    public Counter duplicatesSkipped() { return duplicatesSkipped; }

    /** {@code longshore_processing_seconds}. */
    public Histogram processingSeconds() { return processingSeconds; }

    /** {@code longshore_jobs_total{type,outcome,error}}; count through {@link #jobFinished}. */
    public LabelledCounter jobs() { return jobs; }

    /**
     * Counts one finished job in {@code longshore_jobs_total}.
     *
     * @param type      one of the handler's registered types, or {@link #UNKNOWN_TYPE}
     * @param outcome   success, retry or dead
     * @param errorCode the failure's code, null for a success; past {@link #MAX_ERROR_VALUES} distinct codes,
     *                  new ones are counted as {@link #OTHER_ERROR}
     */
    public void jobFinished(String type, String outcome, String errorCode) {
        jobs.increment(type, outcome, errorLabel(errorCode));
    }

    private String errorLabel(String code) {
        if (code == null) {
            return NO_ERROR;
        }
        String value = code.isBlank() ? "unknown_error"
                : code.length() > MAX_ERROR_LENGTH ? code.substring(0, MAX_ERROR_LENGTH) : code;
        if (errorValues.contains(value)) {
            return value;
        }
        synchronized (errorValues) {
            if (errorValues.size() < MAX_ERROR_VALUES) {
                errorValues.add(value);
                return value;
            }
        }
        return errorValues.contains(value) ? value : OTHER_ERROR;
    }

    /** Exports {@code longshore_build_info{version,worker} 1}: which build each instance runs. */
    public void buildInfo(String worker, String version) {
        this.buildWorker = worker;
        this.buildVersion = version;
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
     * A worker-specific counter with labels, created on first use (the same name returns the same family). Label
     * values must come from a bounded set: see {@link LabelledCounter}.
     */
    public LabelledCounter labelledCounter(String name, String help, String... labelNames) {
        checkName(name);
        for (String label : labelNames) {
            if (!label.matches("[a-z_][a-z0-9_]*")) {
                throw new IllegalArgumentException("label names use [a-z0-9_]: " + label);
            }
        }
        Family f = families.computeIfAbsent(name, n -> new Family(help, new LabelledCounter(List.of(labelNames))));
        if (!f.counter().labelNames().equals(List.of(labelNames))) {
            throw new IllegalArgumentException(name + " already has labels " + f.counter().labelNames());
        }
        return f.counter();
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
        jvm(out);
        String version = buildVersion;
        if (version != null) {
            out.append("# HELP longshore_build_info 1, labelled with the worker and its build version.\n");
            out.append("# TYPE longshore_build_info gauge\n");
            out.append("longshore_build_info{version=\"").append(escapeLabel(version)).append("\",worker=\"")
                    .append(escapeLabel(buildWorker)).append("\"} 1\n");
        }
        List<String> names = new ArrayList<>(extraCounters.keySet());
        names.sort(null);
        for (String name : names) {
            counter(out, name, "Worker-specific counter.", extraCounters.get(name).value());
        }
        names = new ArrayList<>(families.keySet());
        names.sort(null);
        for (String name : names) {
            family(out, name, families.get(name));
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

    private static void jvm(StringBuilder out) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        gauge(out, "longshore_jvm_heap_used_bytes", "JVM heap in use.", memory.getHeapMemoryUsage().getUsed());
        gauge(out, "longshore_jvm_nonheap_used_bytes", "JVM non-heap memory in use (metaspace, code cache).",
                memory.getNonHeapMemoryUsage().getUsed());
        long rss = ProcessMemory.residentBytes();
        if (rss >= 0) {
            gauge(out, "longshore_process_resident_memory_bytes",
                    "Resident set size of the process (VmRSS of /proc/self/status).", rss);
        }
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

    private static void family(StringBuilder out, String name, Family f) {
        out.append("# HELP ").append(name).append(' ').append(f.help()).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        List<String> labels = f.counter().labelNames();
        for (Map.Entry<List<String>, Long> series : f.counter().snapshot()) {
            out.append(name).append('{');
            for (int i = 0; i < labels.size(); i++) {
                out.append(i == 0 ? "" : ",").append(labels.get(i)).append("=\"")
                        .append(escapeLabel(series.getKey().get(i))).append('"');
            }
            out.append("} ").append(series.getValue()).append('\n');
        }
    }

    /** Prometheus text format: backslash, double quote and line feed are escaped in label values. */
    private static String escapeLabel(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
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
