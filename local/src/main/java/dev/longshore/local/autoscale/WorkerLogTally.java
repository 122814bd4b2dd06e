package dev.longshore.local.autoscale;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the workers' own logs say they did, over all instances: every {@code webhook delivered} line counted by job
 * id (a second count for a job is a duplicate), and every WARN and ERROR line kept for the summary.
 */
public final class WorkerLogTally {
    private final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();

    /** Takes one parsed log line of instance {@code instanceId}. */
    public void accept(String instanceId, JsonNode line) {
        String msg = line.path("msg").asText("");
        String jobId = line.path("jobId").asText("");
        if (msg.startsWith("webhook delivered") && !jobId.isEmpty()) {
            delivered.computeIfAbsent(jobId, k -> new AtomicInteger()).incrementAndGet();
        }
        String level = line.path("level").asText("");
        String text = instanceId + " " + (jobId.isEmpty() ? "" : jobId + ": ") + msg;
        if (level.equals("WARN")) {
            warnings.add(text);
        } else if (level.equals("ERROR")) {
            errors.add(text);
        }
    }

    /** Times each job was reported delivered. */
    public Map<String, Integer> deliveries() {
        Map<String, Integer> out = new HashMap<>();
        delivered.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** ERROR lines, and anything a worker wrote to stderr or that was not JSON. */
    public List<String> errors() {
        return List.copyOf(errors);
    }
}
