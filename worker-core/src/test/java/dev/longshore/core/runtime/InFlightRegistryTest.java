package dev.longshore.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InFlightRegistryTest {
    private static final Duration LONG = Duration.ofSeconds(5);

    @Test
    void anIdleWorkerTakesEveryFreeSlotAtOnceWithoutWaiting() throws Exception {
        InFlightRegistry registry = new InFlightRegistry(4);
        long t0 = System.nanoTime();
        assertEquals(4, registry.acquireUpTo(10, LONG, LONG));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1), "waited although no job was running");
    }

    @Test
    void slotsFreedOneByOneWithinTheGatherWindowMakeOneReceive() throws Exception {
        InFlightRegistry registry = new InFlightRegistry(4);
        assertEquals(4, registry.acquireUpTo(4, LONG)); // four jobs running
        ExecutorService jobs = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("test-jobs").factory());
        try {
            registry.releasePermits(1); // the first job ends; the other three end a moment later
            jobs.submit(() -> {
                for (int i = 0; i < 3; i++) {
                    Thread.sleep(20);
                    registry.releasePermits(1);
                }
                return null;
            });
            assertEquals(4, registry.acquireUpTo(10, LONG, LONG));
        } finally {
            jobs.shutdownNow();
        }
    }

    @Test
    void theGatherWindowBoundsTheWaitForAJobThatRunsOn() throws Exception {
        InFlightRegistry registry = new InFlightRegistry(2);
        assertEquals(2, registry.acquireUpTo(2, LONG));
        registry.releasePermits(1); // one job ended, the other runs for a long time
        long t0 = System.nanoTime();
        assertEquals(1, registry.acquireUpTo(10, LONG, Duration.ofMillis(50)));
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(waitedMs >= 40 && waitedMs < 2000, "waited " + waitedMs + " ms");
    }

    @Test
    void twoPollersFillTheirBatchesOneAfterTheOtherInsteadOfSplittingTheFreedSlots() throws Exception {
        InFlightRegistry registry = new InFlightRegistry(20);
        assertEquals(20, registry.acquireUpTo(20, LONG)); // twenty jobs running
        ExecutorService pollers = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("test-poller-", 1).factory());
        try {
            Future<Integer> a = pollers.submit(() -> registry.acquireUpTo(10, LONG, LONG));
            Future<Integer> b = pollers.submit(() -> registry.acquireUpTo(10, LONG, LONG));
            for (int i = 0; i < 10; i++) {
                Thread.sleep(5);
                registry.releasePermits(1);
            }
            CompletableFuture<Integer> first = CompletableFuture.anyOf(toCompletable(a), toCompletable(b))
                    .thenApply(Integer.class::cast);
            assertEquals(10, first.get(LONG.toSeconds(), TimeUnit.SECONDS));
            assertFalse(a.isDone() && b.isDone(), "both returned after only ten slots were freed");
            for (int i = 0; i < 10; i++) {
                registry.releasePermits(1);
            }
            assertEquals(10, a.get(LONG.toSeconds(), TimeUnit.SECONDS));
            assertEquals(10, b.get(LONG.toSeconds(), TimeUnit.SECONDS));
        } finally {
            pollers.shutdownNow();
        }
    }

    private static CompletableFuture<Object> toCompletable(Future<Integer> f) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return f.get(LONG.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void theGatherWindowIsOneAndAHalfJobsBetweenFiveMillisecondsAndOneSecond() {
        assertEquals(Duration.ofMillis(5), Poller.gatherWindow(Duration.ZERO));
        assertEquals(Duration.ofMillis(75), Poller.gatherWindow(Duration.ofMillis(50)));
        assertEquals(Duration.ofSeconds(1), Poller.gatherWindow(Duration.ofMinutes(10)));
    }

    @Test
    void anIdleWaiterWakesWhenAMessageArrivesAndTimesOutWhenNoneDoes() throws Exception {
        InFlightRegistry registry = new InFlightRegistry(4);
        assertFalse(registry.awaitAny(Duration.ofMillis(30)));
        ExecutorService receiver = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("test-receiver").factory());
        try {
            receiver.submit(() -> {
                Thread.sleep(50);
                registry.add(new InFlightMessage(new dev.longshore.core.queue.QueueMessage("m-1", "r-1", "{}", 1,
                        java.util.Optional.empty(), java.util.Map.of()), java.time.Instant.now(), 30, InFlightMessage.Phase.WAITING));
                return null;
            });
            assertTrue(registry.awaitAny(LONG), "woken by the message, not ended by the timeout");
            assertTrue(registry.awaitAny(Duration.ZERO), "a held message needs no wait");
        } finally {
            receiver.shutdownNow();
        }
    }
}
