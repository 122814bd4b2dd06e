package dev.longshore.ai;

import dev.longshore.core.metrics.LabelledCounter;
import dev.longshore.core.metrics.Metrics;
import java.util.regex.Pattern;

/**
 * {@code longshore_ai_jobs_total{task, outcome, error}} (docs/ai.md: Metrics). Every label comes from a bounded
 * set: {@code task} is a name from the task file or {@code unknown} (the message's name when it is not
 * registered would let messages create series), {@code outcome} one of four words, {@code error} a code
 * written in the worker's code ({@code exit_N} has at most 255) or empty on success.
 */
final class AiJobMetrics {
    static final String NAME = "longshore_ai_jobs_total";
    static final String UNKNOWN_TASK = "unknown";
    /** Failure codes are literals of this code base; anything else is not one and is counted as "other". */
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    enum Outcome {
        /** The task exited 0. */
        SUCCESS,
        /** A redelivery of a job that had succeeded: acknowledged without running. */
        DUPLICATE,
        /** Failed, tried again later (backoff, or released at a drain). */
        RETRY,
        /** Failed for good: dead-letter queue. */
        FAILED;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final LabelledCounter jobs;

    private AiJobMetrics(LabelledCounter jobs) {
        this.jobs = jobs;
    }

    static AiJobMetrics register(Metrics metrics) {
        return new AiJobMetrics(metrics.labelledCounter(NAME, "ai.run jobs ended, by task, outcome and error code.",
                "task", "outcome", "error"));
    }

    /** @param task a registered task's name, or null when the job named none that is registered */
    void record(String task, Outcome outcome, String error) {
        jobs.increment(task == null ? UNKNOWN_TASK : task, outcome.label(),
                error == null ? "" : CODE.matcher(error).matches() ? error : "other");
    }
}
