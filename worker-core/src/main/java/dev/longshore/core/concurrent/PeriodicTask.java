package dev.longshore.core.concurrent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Runs a body on its own named {@link BackgroundThread}: first after {@code firstDelay}, then every
 * {@code interval}, until the body returns false or the owner closes it.
 *
 * <p>The schedule is a fixed rate without catch-up: each run is due one interval after the previous one was due,
 * whatever the body took; but when a run ends past the next due time (a suspended VM, a slow call), the next one
 * is due one interval after that end. Missed runs are skipped, never made up in a burst, so a watcher that lost an
 * hour does not run a hundred checks back to back.
 *
 * <p>Time is read from the injected clock and waited out with the injected {@link Sleeper}, so a test can drive
 * the schedule by moving a fake clock from a fake sleeper. {@link Sleeper#SYSTEM} waits with the thread's own
 * {@link BackgroundThread#pause}, which close() cuts short at once; any other sleeper is cut short only by
 * {@link #interruptAndClose}.
 */
public final class PeriodicTask {
    private final String threadName;
    private final Duration firstDelay;
    private final Duration interval;
    private final Clock clock;
    private final Sleeper sleeper;
    private final BackgroundThread thread = new BackgroundThread();

    /**
     * @param firstDelay from {@link #start} to the first run; none when not positive
     * @param interval   between runs; positive
     */
    public PeriodicTask(String threadName, Duration firstDelay, Duration interval, Clock clock, Sleeper sleeper) {
        this.threadName = Objects.requireNonNull(threadName);
        this.firstDelay = Objects.requireNonNull(firstDelay);
        if (interval == null || !interval.isPositive()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        this.interval = interval;
        this.clock = Objects.requireNonNull(clock);
        this.sleeper = Objects.requireNonNull(sleeper);
    }

    public Duration firstDelay() {
        return firstDelay;
    }

    public Duration interval() {
        return interval;
    }

    /** As {@link #start(Runnable, BooleanSupplier)} with nothing to set up. */
    public boolean start(BooleanSupplier body) {
        return start(() -> { }, body);
    }

    /**
     * Starts the thread: {@code setUp} once on it (its logging context, a first log line), then {@code body} on the
     * schedule until it returns false. A body that throws ends the task; bodies log their own failures. Does
     * nothing and returns false when already started.
     */
    public boolean start(Runnable setUp, BooleanSupplier body) {
        Objects.requireNonNull(setUp);
        Objects.requireNonNull(body);
        Instant first = clock.instant().plus(firstDelay);
        return thread.start(threadName, () -> {
            setUp.run();
            run(first, body);
        });
    }

    public boolean started() {
        return thread.started();
    }

    /**
     * True once closed (an interrupt during a {@link Sleeper#SYSTEM} wait counts as a close): a body can tell a call
     * that close() cut short from one that failed.
     */
    public boolean closed() {
        return thread.closed();
    }

    /**
     * Stops the schedule, wakes a {@link Sleeper#SYSTEM} wait, and waits up to {@code wait} for a run under way to
     * end.
     *
     * @return false when the thread is still running after {@code wait}, for the owner to log
     */
    public boolean close(Duration wait) {
        return thread.close(wait);
    }

    /** As {@link #close}, and interrupts the thread: a call under way or an injected sleeper's wait is abandoned. */
    public boolean interruptAndClose(Duration wait) {
        return thread.interruptAndClose(wait);
    }

    /** Waits up to {@code timeout} for the task to end by itself (tests whose fake sleeper ends the run). */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return thread.awaitEnd(timeout);
    }

    private void run(Instant first, BooleanSupplier body) {
        Instant due = first;
        try {
            while (!thread.closed()) {
                Duration wait = Duration.between(clock.instant(), due);
                if (wait.isPositive()) {
                    // A wait may end early (a spurious wake-up, a fake that moves less): read the clock again.
                    waitFor(wait);
                    continue;
                }
                if (!body.getAsBoolean()) {
                    return;
                }
                due = nextAfter(due);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Instant nextAfter(Instant due) {
        Instant now = clock.instant();
        Instant next = due.plus(interval);
        return next.isBefore(now) ? now.plus(interval) : next;
    }

    private void waitFor(Duration wait) throws InterruptedException {
        if (sleeper == Sleeper.SYSTEM) {
            // Rounded up: a pause of 0 ms returns at once and the loop would spin through the last fraction.
            thread.pause(wait.plusNanos(999_999).toMillis());
        } else {
            sleeper.sleep(wait);
        }
    }
}
