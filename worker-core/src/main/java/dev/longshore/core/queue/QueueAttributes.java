package dev.longshore.core.queue;

import java.util.Optional;

/**
 * The queue attributes the runtime decides on.
 *
 * @param visibilityTimeoutSeconds the queue's default visibility timeout
 * @param deadLetterTargetArn      from RedrivePolicy, when the queue has one
 * @param maxReceiveCount          from RedrivePolicy
 */
public record QueueAttributes(String arn, boolean fifo, int visibilityTimeoutSeconds,
                              Optional<String> deadLetterTargetArn, Optional<Integer> maxReceiveCount) {
}
