package dev.longshore.messaging.webhook;

import java.util.function.LongSupplier;

/** A token bucket: {@code rate} tokens per second, up to {@code burst} saved up. */
final class TokenBucket {
    private final double ratePerNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private double tokens;
    private long last;

    TokenBucket(double ratePerSecond, double burst, LongSupplier nanoTime) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.last = nanoTime.getAsLong();
    }

    /** Takes a token if one is available; otherwise returns how many nanoseconds until one is. */
    synchronized long tryTake() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) * ratePerNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / ratePerNano);
    }
}
