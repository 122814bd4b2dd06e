package dev.longshore.core.runtime;

import dev.longshore.core.metrics.Metrics;
import dev.longshore.core.queue.QueueClient;
import java.time.Clock;
import java.util.function.BooleanSupplier;

/**
 * What every stage of one queue's receive pipeline shares: the queue and its client, the in-flight registry,
 * metrics, the clock, the visibility estimate and whether the worker is draining. Built once by
 * {@link ReceivePipeline}, so a stage's constructor names only what is its own.
 */
record PipelineParts(String workerName, String queueUrl, QueueClient sqs, InFlightRegistry registry, Metrics metrics,
                     Clock clock, VisibilityEstimator estimator, BooleanSupplier draining) {
}
