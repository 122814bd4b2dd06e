package dev.longshore.core.concurrent;

import java.time.Duration;

/**
 * How code that waits (between checks, for a rate limit's slot, between status polls) waits: injected, so that a
 * test can move a fake clock instead of letting real time pass.
 */
@FunctionalInterface
public interface Sleeper {
    /** Real time: {@link Thread#sleep(Duration)}, cut short by an interrupt. A wait that is not positive is none. */
    Sleeper SYSTEM = d -> {
        if (d.isPositive()) {
            Thread.sleep(d);
        }
    };

    void sleep(Duration duration) throws InterruptedException;
}
