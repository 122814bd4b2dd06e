package dev.longshore.messaging.webhook;

import dev.longshore.core.http.Throttle;
import dev.longshore.core.job.RetryableFailure;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Limits requests per destination host, so one slow receiver with a backlog of thousands of jobs is not hit by
 * the whole fleet's concurrency at once. Short waits happen in place (job threads are virtual); a longer wait
 * hands the message back with a retry delay instead of holding a slot.
 */
final class HostRateLimiter implements Throttle {
    /** Waits up to this long for a token before giving the slot back. */
    static final Duration MAX_WAIT = Duration.ofSeconds(2);

    private final double ratePerSecond;
    private final LongSupplier nanoTime;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    HostRateLimiter(double ratePerSecond, LongSupplier nanoTime) {
        this.ratePerSecond = ratePerSecond;
        this.nanoTime = nanoTime;
    }

    @Override
    public void acquire(String host) throws RetryableFailure, InterruptedException {
        if (ratePerSecond <= 0) {
            return;
        }
        TokenBucket bucket = buckets.computeIfAbsent(host, h -> new TokenBucket(ratePerSecond, Math.max(1, ratePerSecond), nanoTime));
        long deadline = nanoTime.getAsLong() + MAX_WAIT.toNanos();
        while (true) {
            long wait = bucket.tryTake();
            if (wait == 0) {
                return;
            }
            if (nanoTime.getAsLong() + wait > deadline) {
                throw new RetryableFailure("rate_limited", "local rate limit for " + host + " (" + ratePerSecond + "/s) reached",
                        Duration.ofNanos(wait).plusSeconds(1), null);
            }
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
