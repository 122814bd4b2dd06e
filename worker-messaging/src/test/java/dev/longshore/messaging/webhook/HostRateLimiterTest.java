package dev.longshore.messaging.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HostRateLimiterTest {
    private static final long FOREVER = Long.MAX_VALUE;
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Long> slept = new ArrayList<>();

    private HostRateLimiter limiter(double rate, int maxHosts) {
        return new HostRateLimiter(rate, maxHosts, now::get, d -> {
            slept.add(d.toNanos());
            now.addAndGet(d.toNanos());
        });
    }

    @Test
    void aQuietHostAllowsOneSecondsBurstThenOneRequestPerInterval() {
        HostRateLimiter limiter = limiter(10, 100);
        for (int i = 0; i < 10; i++) {
            assertEquals(0, limiter.reserve("a.example", FOREVER).waitNanos(), "request " + i + " of the burst");
        }
        assertEquals(100_000_000L, limiter.reserve("a.example", FOREVER).waitNanos(), "the 11th waits a tenth of a second");
        assertEquals(0, limiter.reserve("b.example", FOREVER).waitNanos(), "limits are per host");
    }

    @Test
    void waitersAreGivenSuccessiveSlotsSoNoneWakesToCompeteForOneToken() {
        HostRateLimiter limiter = limiter(5, 100);
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            waits.add(limiter.reserve("slow.example", FOREVER).waitNanos());
        }
        for (int i = 5; i < 20; i++) {
            assertEquals((i - 4) * 200_000_000L, waits.get(i), "waiter " + i + " has its own slot, 200 ms after the last");
        }
    }

    @Test
    void aSlotBeyondTheWaitBudgetIsNotReservedSoItCostsNobodyATurn() {
        HostRateLimiter limiter = limiter(1, 100);
        assertTrue(limiter.reserve("h", FOREVER).granted());
        HostRateLimiter.Reservation refused = limiter.reserve("h", Duration.ofMillis(500).toNanos());
        assertFalse(refused.granted());
        assertEquals(1_000_000_000L, refused.waitNanos());
        assertEquals(1_000_000_000L, limiter.reserve("h", FOREVER).waitNanos(), "the refused one took no slot");
    }

    @Test
    void acquireSleepsUntilItsSlotAndReportsHowLongOrMinusTheWaitWhenRefused() throws Exception {
        HostRateLimiter limiter = limiter(2, 100);
        assertEquals(0, limiter.acquire("h", Duration.ofMinutes(1)));
        assertEquals(0, limiter.acquire("h", Duration.ofMinutes(1)));
        assertEquals(500_000_000L, limiter.acquire("h", Duration.ofMinutes(1)));
        assertEquals(List.of(500_000_000L), slept);
        assertEquals(-500_000_000L, limiter.acquire("h", Duration.ofMillis(100)));
        assertEquals(1, slept.size(), "a refusal does not wait");
    }

    @Test
    void offMeansNoWaitAndNoMemory() throws Exception {
        HostRateLimiter limiter = limiter(0, 100);
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, limiter.acquire("h" + i, Duration.ZERO));
        }
        assertEquals(0, limiter.hostsRemembered());
    }

    @Test
    void idleHostsAreForgottenAfterTheSweepInterval() {
        HostRateLimiter limiter = limiter(10, 10_000);
        for (int i = 0; i < 500; i++) {
            limiter.reserve("tenant-" + i + ".example", FOREVER);
        }
        assertEquals(500, limiter.hostsRemembered());
        now.addAndGet(HostRateLimiter.SWEEP_INTERVAL.toNanos() + 1);
        limiter.reserve("still-busy.example", FOREVER);
        assertEquals(1, limiter.hostsRemembered(), "only the host used now is remembered");
    }

    @Test
    void theMapNeverHoldsMoreThanItsBoundEvenWhenEveryHostIsBusy() {
        HostRateLimiter limiter = limiter(1, 3);
        for (int i = 0; i < 50; i++) {
            limiter.reserve("h" + i, FOREVER);
            assertTrue(limiter.hostsRemembered() <= 3, "remembered " + limiter.hostsRemembered());
        }
    }
}
