package dev.longshore.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JobContextDrainTest {
    private final AtomicBoolean draining = new AtomicBoolean();
    private final JobContextImpl ctx = new JobContextImpl("test", null, (m, d) -> { }, draining::get);

    @Test
    void drainActionsRunOnceWhenTheDrainStarts() {
        AtomicInteger told = new AtomicInteger();
        ctx.onDrain(told::incrementAndGet);
        assertFalse(ctx.isDraining());
        assertEquals(0, told.get());
        draining.set(true);
        ctx.drainStarted();
        ctx.drainStarted();
        assertTrue(ctx.isDraining());
        assertEquals(1, told.get());
    }

    @Test
    void anActionRegisteredDuringTheDrainRunsAtOnceAndOnlyOnce() {
        AtomicInteger told = new AtomicInteger();
        draining.set(true);
        ctx.onDrain(told::incrementAndGet);
        ctx.drainStarted();
        assertEquals(1, told.get());
    }
}
