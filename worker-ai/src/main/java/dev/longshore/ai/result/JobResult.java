package dev.longshore.ai.result;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshore.ai.runner.OutputFile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the result queue is told when a job ends: SUCCESS with its outputs, or FAILED with the error code and
 * reason (for failures that will not be retried). The same JSON is the job's {@code manifest.json} on success,
 * so a redelivered job can re-send its result without running again (docs/ai.md: Result message).
 *
 * @param jobDir   the job's directory; empty for a job refused before it had one, and for one whose outputs went to
 *                 S3 (its directory is removed then)
 * @param manifest the uploaded manifest's {@code s3://} URI when outputs go to S3 (docs/ai.md: Outputs on S3)
 */
public record JobResult(String jobId, String task, Status status, OptionalInt exitCode, Optional<String> signal,
                        Optional<String> error,
                        Optional<String> reason, List<OutputFile> outputs, Timing timing, String jobDir,
                        Instant finishedAt, Optional<String> manifest) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Status { SUCCESS, FAILED }

    /**
     * Which attempt this was and where its time went.
     *
     * @param attempt  the delivery (SQS ApproximateReceiveCount): 1 on the first
     * @param download fetching inputs and models
     * @param run      the task's process, from start to exit
     * @param total    the whole attempt, as the handler saw it
     */
    public record Timing(int attempt, Duration download, Duration run, Duration total) {
    }

    /** The whole attempt's duration. */
    public Duration duration() {
        return timing.total();
    }

    public JobResult {
        outputs = List.copyOf(outputs);
    }

    /** A result whose outputs stay on local disk. */
    public JobResult(String jobId, String task, Status status, OptionalInt exitCode, Optional<String> signal,
                     Optional<String> error, Optional<String> reason, List<OutputFile> outputs, Timing timing,
                     String jobDir, Instant finishedAt) {
        this(jobId, task, status, exitCode, signal, error, reason, outputs, timing, jobDir, finishedAt,
                Optional.empty());
    }

    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("jobId", jobId);
        n.put("task", task);
        n.put("status", status.name());
        exitCode.ifPresent(c -> n.put("exitCode", c));
        signal.ifPresent(sig -> n.put("signal", sig));
        error.ifPresent(e -> n.put("error", e));
        reason.ifPresent(r -> n.put("reason", r));
        ArrayNode out = n.putArray("outputs");
        for (OutputFile f : outputs) {
            ObjectNode o = out.addObject().put("path", f.path()).put("size", f.size()).put("sha256", f.sha256());
            f.uri().ifPresent(u -> o.put("uri", u));
        }
        n.put("attempt", timing.attempt());
        n.put("downloadMs", timing.download().toMillis());
        n.put("runMs", timing.run().toMillis());
        n.put("durationMs", timing.total().toMillis());
        if (!jobDir.isEmpty()) {
            n.put("jobDir", jobDir);
        }
        n.put("finishedAt", finishedAt.toString());
        manifest.ifPresent(m -> n.put("manifest", m));
        return n;
    }

    public String toJsonText() {
        return toJson().toString();
    }

    /**
     * The result as a queue message of at most {@code maxBytes} (UTF-8). When every output does not fit (thousands
     * of files), the list is cut to as many as fit, in path order, and the message says so with
     * {@code "outputsTruncated": true}, {@code "outputCount"} (all of them) and {@code "manifest"}, the job's
     * manifest.json that lists them all (docs/ai.md, "Result message").
     */
    public String toMessage(int maxBytes) {
        String full = toJsonText();
        if (utf8Length(full) <= maxBytes) {
            return full;
        }
        int lo = 0;
        int hi = outputs.size() - 1;
        String best = truncated(0);
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            String text = truncated(mid);
            if (utf8Length(text) <= maxBytes) {
                best = text;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return best;
    }

    private String truncated(int keep) {
        ObjectNode n = new JobResult(jobId, task, status, exitCode, signal, error, reason, outputs.subList(0, keep),
                timing, jobDir, finishedAt, manifest).toJson();
        n.put("outputsTruncated", true);
        n.put("outputCount", outputs.size());
        n.put("manifest", manifest.orElse(jobDir.isEmpty() ? "manifest.json" : jobDir + "/manifest.json"));
        return n.toString();
    }

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /** Reads back what {@link #toJson()} wrote (a manifest); throws IllegalArgumentException if it is not one. */
    public static JobResult fromJson(JsonNode n) {
        try {
            List<OutputFile> outputs = new ArrayList<>();
            for (JsonNode f : n.path("outputs")) {
                outputs.add(new OutputFile(f.path("path").asText(), f.path("size").asLong(), f.path("sha256").asText(),
                        Optional.ofNullable(f.get("uri")).map(JsonNode::asText)));
            }
            return new JobResult(n.get("jobId").asText(), n.get("task").asText(),
                    Status.valueOf(n.get("status").asText()),
                    n.has("exitCode") ? OptionalInt.of(n.get("exitCode").asInt()) : OptionalInt.empty(),
                    Optional.ofNullable(n.get("signal")).map(JsonNode::asText),
                    Optional.ofNullable(n.get("error")).map(JsonNode::asText),
                    Optional.ofNullable(n.get("reason")).map(JsonNode::asText),
                    outputs, new Timing(n.path("attempt").asInt(1), Duration.ofMillis(n.path("downloadMs").asLong()),
                            Duration.ofMillis(n.path("runMs").asLong()), Duration.ofMillis(n.path("durationMs").asLong())),
                    n.path("jobDir").asText(),
                    Instant.parse(n.get("finishedAt").asText()),
                    Optional.ofNullable(n.get("manifest")).map(JsonNode::asText));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a job result: " + e.getMessage(), e);
        }
    }
}
