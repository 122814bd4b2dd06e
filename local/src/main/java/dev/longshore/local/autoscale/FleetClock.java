package dev.longshore.local.autoscale;

import java.util.function.LongSupplier;

/**
 * Seconds since the fleet run began, one time base for the controller, the burst generator and the job sink.
 * Tests pass a hand-moved nanosecond source.
 */
public final class FleetClock {
    private final LongSupplier nanos;
    private final long origin;

    public FleetClock(LongSupplier nanos) {
        this.nanos = nanos;
        this.origin = nanos.getAsLong();
    }

    public static FleetClock system() {
        return new FleetClock(System::nanoTime);
    }

    public double seconds() {
        return (nanos.getAsLong() - origin) / 1e9;
    }
}
