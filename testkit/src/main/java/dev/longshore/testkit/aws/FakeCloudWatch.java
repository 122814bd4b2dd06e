package dev.longshore.testkit.aws;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CloudWatch's PutMetricData over the query protocol (what SDK 2.31.78 sends): accepted calls recorded, calls
 * CloudWatch would refuse answered 400 in its error document (see {@link #validate}) and kept apart, failures
 * injectable per action.
 */
public final class FakeCloudWatch {
    public static final String API_VERSION = "2010-08-01";
    static final String NAMESPACE = "http://monitoring.amazonaws.com/doc/2010-08-01/";
    private static final Pattern MEMBER = Pattern.compile("MetricData\\.member\\.(\\d+)\\.(.+)");
    private static final Pattern DIMENSION = Pattern.compile("Dimensions\\.member\\.(\\d+)\\.(Name|Value)");
    private static final Pattern NAMESPACE_CHARS = Pattern.compile("[0-9A-Za-z.\\-_/#: ]+");
    /** CloudWatch's StandardUnit values; anything else is refused. */
    static final Set<String> UNITS = new LinkedHashSet<>(List.of("Seconds", "Microseconds", "Milliseconds", "Bytes",
            "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits",
            "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second",
            "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
            "Terabits/Second", "Count/Second", "None"));
    private static final double MAX_MAGNITUDE = Math.pow(2, 360);
    private static final double MIN_MAGNITUDE = 8.515920e-109;

    private final List<AwsCall> calls = new CopyOnWriteArrayList<>();
    private final InjectedFailures injectedFailures = new InjectedFailures();
    private final List<AwsCall> rejected = new CopyOnWriteArrayList<>();
    private final List<Consumer<AwsCall>> listeners = new CopyOnWriteArrayList<>();

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

    /**
     * Every PutMetricData call answers 500 InternalServiceError until this is called with false (an outage, whatever
     * the SDK retries); false also drops failures {@link #failNext(String, int, int, String)} left pending.
     */
    public void failing(boolean on) {
        if (on) {
            injectedFailures.addUntilCleared(InjectedFailures.ANY, 500, "InternalServiceError");
        } else {
            injectedFailures.clear();
        }
    }

    /**
     * The next {@code times} calls of {@code action} (PutMetricData, or {@code "*"}) fail with this status and error
     * code: {@code 400 Throttling}, {@code 500 InternalServiceError}.
     */
    public void failNext(String action, int times, int status, String code) {
        injectedFailures.add(action, times, status, code);
    }

    /** Calls answered 400 because CloudWatch would have refused them (a bad namespace, unit, missing name...). */
    public List<AwsCall> rejectedCalls() {
        return List.copyOf(rejected);
    }

    /** Runs {@code listener} for every call CloudWatch would accept, as it arrives, before it is answered. */
    public void onCall(Consumer<AwsCall> listener) {
        listeners.add(listener);
    }

    /** Calls that succeeded. */
    public List<AwsCall> calls() {
        return List.copyOf(calls);
    }

    /** Calls answered with an injected failure so far. */
    public int failedCalls() {
        return injectedFailures.answered();
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
            // In member order; a dimension without a name keeps a null key so that validate() can refuse it.
            Map<String, String> dimensions = new java.util.LinkedHashMap<>();
            dims.values().forEach(p -> dimensions.put(p[0], p[1]));
            out.add(new Datum(fields.get("MetricName"), dimensions, rest));
        }
        return out;
    }

    void handle(HttpExchange exchange, Map<String, String> form) throws IOException {
        String action = form.getOrDefault("Action", "");
        if (!action.equals("PutMetricData")) {
            Http.queryError(exchange, 400, NAMESPACE, "InvalidAction",
                    "Could not find operation " + action + " for version " + API_VERSION);
            return;
        }
        Optional<InjectedFailures.Failure> injected = injectedFailures.take(action);
        if (injected.isPresent()) {
            Http.queryError(exchange, injected.get().status(), NAMESPACE, injected.get().code(), "injected failure");
            return;
        }
        AwsCall call = new AwsCall("cloudwatch", action, form, System.nanoTime());
        String[] problem = validate(call);
        if (problem != null) {
            rejected.add(call);
            Http.queryError(exchange, 400, NAMESPACE, problem[0], problem[1]);
            return;
        }
        calls.add(call);
        for (Consumer<AwsCall> listener : listeners) {
            listener.accept(call);
        }
        Http.send(exchange, 200, "text/xml", "<PutMetricDataResponse xmlns=\"" + NAMESPACE + "\"><ResponseMetadata>"
                + "<RequestId>" + java.util.UUID.randomUUID() + "</RequestId></ResponseMetadata></PutMetricDataResponse>");
    }

    /**
     * What CloudWatch refuses in a PutMetricData, as {@code {code, message}}, or null: MissingParameter for an absent
     * Namespace, MetricName or statistic; InvalidParameterValue for a value outside its limits (namespace 1 to 255
     * characters of letters, digits, space and {@code . - _ / # :}, not starting with {@code :} or {@code AWS/};
     * 1 to 1000 datums; a unit outside CloudWatch's set; at most 30 dimensions; NaN or infinite values);
     * InvalidParameterCombination for Value together with StatisticValues or Values.
     */
    static String[] validate(AwsCall call) {
        String namespace = call.param("Namespace");
        if (namespace == null) {
            return missing("Namespace");
        }
        if (namespace.isEmpty() || namespace.length() > 255 || !NAMESPACE_CHARS.matcher(namespace).matches()
                || namespace.startsWith(":") || namespace.isBlank()) {
            return invalid("The value " + namespace + " for parameter Namespace is not valid.");
        }
        if (namespace.startsWith("AWS/")) {
            return invalid("The value AWS/ for parameter Namespace is invalid.");
        }
        List<Datum> datums = datums(call);
        if (datums.isEmpty()) {
            return missing("MetricData");
        }
        if (datums.size() > 1000) {
            return invalid("The collection MetricData must not have a size greater than 1000.");
        }
        int n = 0;
        for (Datum d : datums) {
            n++;
            String at = "MetricData.member." + n + ".";
            if (d.name() == null) {
                return missing(at + "MetricName");
            }
            if (d.name().isEmpty() || d.name().length() > 255) {
                return invalid("The parameter " + at + "MetricName must be 1 to 255 characters long.");
            }
            if (d.dimensions().size() > 30) {
                return invalid("The collection " + at + "Dimensions must not have a size greater than 30.");
            }
            for (Map.Entry<String, String> dim : d.dimensions().entrySet()) {
                if (dim.getKey() == null || dim.getValue() == null) {
                    return missing(at + "Dimensions.member.N." + (dim.getKey() == null ? "Name" : "Value"));
                }
                if (dim.getKey().isEmpty() || dim.getKey().length() > 255 || dim.getKey().startsWith(":")
                        || dim.getValue().isEmpty() || dim.getValue().length() > 1024) {
                    return invalid("The parameter " + at + "Dimensions has a name or value of the wrong length: "
                            + dim.getKey() + "=" + dim.getValue());
                }
            }
            String unit = d.fields().get("Unit");
            if (unit != null && !UNITS.contains(unit)) {
                return invalid("The parameter " + at + "Unit must be a value in the set " + UNITS + ".");
            }
            String resolution = d.fields().get("StorageResolution");
            if (resolution != null && !resolution.equals("1") && !resolution.equals("60")) {
                return invalid("The parameter " + at + "StorageResolution must be 1 or 60.");
            }
            boolean value = d.fields().containsKey("Value");
            boolean stats = d.fields().keySet().stream().anyMatch(k -> k.startsWith("StatisticValues."));
            boolean values = d.fields().keySet().stream().anyMatch(k -> k.startsWith("Values."));
            if ((value ? 1 : 0) + (stats ? 1 : 0) + (values ? 1 : 0) > 1) {
                return new String[] {"InvalidParameterCombination", "The parameters " + at + "Value, " + at
                        + "StatisticValues and " + at + "Values are mutually exclusive and you have specified more "
                        + "than one."};
            }
            if (!value && !stats && !values) {
                return missing(at + "Value");
            }
            for (Map.Entry<String, String> field : d.fields().entrySet()) {
                String k = field.getKey();
                if (k.equals("Value") || k.startsWith("StatisticValues.") || k.startsWith("Values.member.")
                        || k.startsWith("Counts.member.")) {
                    String bad = checkNumber(at + k, field.getValue());
                    if (bad != null) {
                        return invalid(bad);
                    }
                }
            }
            if (stats) {
                for (String s : List.of("SampleCount", "Sum", "Minimum", "Maximum")) {
                    if (!d.fields().containsKey("StatisticValues." + s)) {
                        return missing(at + "StatisticValues." + s);
                    }
                }
                if (d.number("StatisticValues.SampleCount") <= 0) {
                    return invalid("The parameter " + at + "StatisticValues.SampleCount must be greater than 0.");
                }
                if (d.number("StatisticValues.Minimum") > d.number("StatisticValues.Maximum")) {
                    return invalid("The parameter " + at + "StatisticValues.Minimum must not be greater than "
                            + at + "StatisticValues.Maximum.");
                }
            }
            long valueCount = d.fields().keySet().stream().filter(k -> k.startsWith("Values.member.")).count();
            if (valueCount > 150) {
                return invalid("The collection " + at + "Values must not have a size greater than 150.");
            }
            long countCount = d.fields().keySet().stream().filter(k -> k.startsWith("Counts.member.")).count();
            if (countCount > 0 && countCount != valueCount) {
                return invalid("The parameters " + at + "Values and " + at + "Counts must be of the same size.");
            }
        }
        return null;
    }

    private static String checkNumber(String name, String raw) {
        double v;
        try {
            v = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            return "The value " + raw + " for parameter " + name + " is not a number.";
        }
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "The value " + raw + " for parameter " + name + " is not supported.";
        }
        // CloudWatch rejects values outside -2^360 .. 2^360 and magnitudes below 8.5e-109.
        double abs = Math.abs(v);
        if (abs > MAX_MAGNITUDE || abs != 0 && abs < MIN_MAGNITUDE) {
            return "The value " + raw + " for parameter " + name + " is outside the range CloudWatch stores.";
        }
        return null;
    }

    private static String[] missing(String parameter) {
        return new String[] {"MissingParameter", "The parameter " + parameter + " is required."};
    }

    private static String[] invalid(String message) {
        return new String[] {"InvalidParameterValue", message};
    }
}
