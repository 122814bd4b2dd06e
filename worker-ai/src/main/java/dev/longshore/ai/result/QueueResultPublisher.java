package dev.longshore.ai.result;

import dev.longshore.core.queue.ResultPublisher;
import java.util.Objects;

/**
 * Sends AI results through the core {@link ResultPublisher} (the worker's own queue client). A success with more
 * outputs than one message holds is sent with its output list cut and flagged, never refused: its job already
 * succeeded, and a refused result would retry it into the dead-letter queue.
 */
public final class QueueResultPublisher implements dev.longshore.ai.result.ResultPublisher {
    private final ResultPublisher queue;

    public QueueResultPublisher(ResultPublisher queue) {
        this.queue = Objects.requireNonNull(queue);
    }

    @Override
    public void publish(JobResult result) {
        queue.publish(result.jobId(), result.status().name(), result.toMessage(ResultPublisher.MAX_BODY_BYTES));
    }
}
