package dev.longshore.testkit;

/** A work queue and the dead-letter queue its RedrivePolicy names. */
public record QueuePair(String queueUrl, String deadLetterQueueUrl) {
}
