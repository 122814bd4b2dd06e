package dev.longshore.core.http;

import java.time.Duration;

/**
 * When a whole fetch must be over: connect, request, every redirect hop and the last byte of the body
 * (README: Security). Checked while reading, so a server sending one byte a second cannot outlast it.
 *
 * @param atNanos {@link System#nanoTime()} at which time is up
 * @param budget  the whole budget, for failure reasons
 */
public record Deadline(long atNanos, Duration budget) {

    public static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos(), budget);
    }

    public long remainingNanos() {
        return atNanos - System.nanoTime();
    }

    public boolean expired() {
        return remainingNanos() <= 0;
    }
}
