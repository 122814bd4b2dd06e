package dev.longshore.core;

import java.time.Duration;

/**
 * What a drain did.
 *
 * @param reason    why it started (SIGTERM, lifecycle Terminated, GPU lost...)
 * @param finished  jobs that completed within the budget
 * @param released  messages given back to the queue (visibility 0): cancelled jobs and unstarted ones
 * @param took      from the drain's start to the last release or delete
 * @param exitCode  the process exit code that follows
 */
public record DrainReport(String reason, int finished, int released, Duration took, int exitCode) {
}
