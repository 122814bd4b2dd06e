package dev.longshore.core.http;

import dev.longshore.core.job.RetryableFailure;

/**
 * Waits for permission to call a host, once per hop, after its addresses were checked. Waiting here is safe:
 * the checked addresses are what the connection uses afterwards, however long the wait (README: Security).
 */
@FunctionalInterface
public interface Throttle {
    Throttle NONE = host -> { };

    void acquire(String host) throws RetryableFailure, InterruptedException;
}
