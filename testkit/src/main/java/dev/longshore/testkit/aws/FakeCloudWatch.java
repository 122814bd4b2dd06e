package dev.longshore.testkit.aws;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** CloudWatch's PutMetricData over the query protocol (what SDK 2.31.78 sends), every call recorded. */
public final class FakeCloudWatch {
    public static final String API_VERSION = "2010-08-01";
    static final String NAMESPACE = "http://monitoring.amazonaws.com/doc/2010-08-01/";
    private static final Pattern MEMBER = Pattern.compile("MetricData\\.member\\.(\\d+)\\.(.+)");
    private static final Pattern DIMENSION = Pattern.compile("Dimensions\\.member\\.(\\d+)\\.(Name|Value)");

    private final List<AwsCall> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresToInject = new AtomicInteger();
    private final AtomicInteger failedCalls = new AtomicInteger();

    /**
     * One metric datum of a call.
     *
     * @param fields everything but the name and dimensions, e.g. {@code Value}, {@code Unit},
     *               {@code StatisticValues.Sum}, {@code Timestamp}
     */
    public record Datum(String name, Map<String, String> dimensions, Map<String, String> fields) {
        public double number(String field) {
            String v = fields.get(field);
            if (v == null) {
                throw new IllegalArgumentException(name + " has no " + field + ": " + fields);
            }
            return Double.parseDouble(v);
        }
    }

    /** The next {@code n} PutMetricData calls answer 500 InternalServiceError. */
    public void failNext(int n) {
        failuresToInject.set(n);
    }

    /** Every PutMetricData call answers 500 until this is called with false (an outage, whatever the SDK retries). */
    public void failing(boolean on) {
        failuresToInject.set(on ? Integer.MAX_VALUE : 0);
    }

    /** Calls that succeeded. */
    public List<AwsCall> calls() {
        return List.copyOf(calls);
    }

    public int failedCalls() {
        return failedCalls.get();
    }

    /** The datums of a recorded call, in the order they were sent. */
    public static List<Datum> datums(AwsCall call) {
        Map<Integer, Map<String, String>> members = new TreeMap<>();
        call.params().forEach((k, v) -> {
            Matcher m = MEMBER.matcher(k);
            if (m.matches()) {
                members.computeIfAbsent(Integer.parseInt(m.group(1)), i -> new TreeMap<>()).put(m.group(2), v);
            }
        });
        List<Datum> out = new ArrayList<>();
        for (Map<String, String> fields : members.values()) {
            Map<Integer, String[]> dims = new TreeMap<>();
            Map<String, String> rest = new TreeMap<>();
            fields.forEach((k, v) -> {
                Matcher d = DIMENSION.matcher(k);
                if (d.matches()) {
                    String[] pair = dims.computeIfAbsent(Integer.parseInt(d.group(1)), i -> new String[2]);
                    pair[d.group(2).equals("Name") ? 0 : 1] = v;
                } else if (!k.equals("MetricName")) {
                    rest.put(k, v);
                }
            });
            Map<String, String> dimensions = new TreeMap<>();
            dims.values().forEach(p -> dimensions.put(p[0], p[1]));
            out.add(new Datum(fields.get("MetricName"), dimensions, rest));
        }
        return out;
    }

    void handle(HttpExchange exchange, Map<String, String> form) throws IOException {
        String action = form.getOrDefault("Action", "");
        if (!action.equals("PutMetricData")) {
            Http.queryError(exchange, 400, NAMESPACE, "InvalidAction", "unsupported action " + action);
            return;
        }
        if (failuresToInject.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0) {
            failedCalls.incrementAndGet();
            Http.queryError(exchange, 500, NAMESPACE, "InternalServiceError", "injected failure");
            return;
        }
        AwsCall call = new AwsCall("cloudwatch", action, form, System.nanoTime());
        String problem = validate(call);
        if (problem != null) {
            Http.queryError(exchange, 400, NAMESPACE, "InvalidParameterValue", problem);
            return;
        }
        calls.add(call);
        Http.send(exchange, 200, "text/xml", "<PutMetricDataResponse xmlns=\"" + NAMESPACE + "\"><ResponseMetadata>"
                + "<RequestId>" + java.util.UUID.randomUUID() + "</RequestId></ResponseMetadata></PutMetricDataResponse>");
    }

    /** The limits AWS enforces that a publisher could plausibly break. */
    private static String validate(AwsCall call) {
        String namespace = call.param("Namespace");
        if (namespace == null || namespace.isEmpty() || namespace.startsWith("AWS/")) {
            return "The parameter Namespace must be a custom namespace";
        }
        List<Datum> datums = datums(call);
        if (datums.isEmpty() || datums.size() > 1000) {
            return "The collection MetricData must contain 1 to 1000 items";
        }
        for (Datum d : datums) {
            if (d.dimensions().size() > 30) {
                return "too many dimensions on " + d.name();
            }
            boolean value = d.fields().containsKey("Value");
            boolean stats = d.fields().keySet().stream().anyMatch(k -> k.startsWith("StatisticValues."));
            if (value == stats) {
                return "The parameters MetricData.member.N.Value and MetricData.member.N.StatisticValues are mutually exclusive and one is required";
            }
            if (stats && d.number("StatisticValues.SampleCount") <= 0) {
                return "StatisticValues.SampleCount must be positive";
            }
        }
        return null;
    }
}
