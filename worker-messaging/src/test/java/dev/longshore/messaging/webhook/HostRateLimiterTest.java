package dev.longshore.messaging.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.job.RetryableFailure;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HostRateLimiterTest {

    @Test
    void bucketAllowsABurstThenRefillsAtTheRate() {
        AtomicLong now = new AtomicLong();
        TokenBucket bucket = new TokenBucket(10, 10, now::get);
        for (int i = 0; i < 10; i++) {
            assertEquals(0, bucket.tryTake());
        }
        long wait = bucket.tryTake();
        assertEquals(100_000_000L, wait, "the 11th request waits a tenth of a second");
        now.addAndGet(wait);
        assertEquals(0, bucket.tryTake());
    }

    @Test
    void limiterGivesTheSlotBackWhenTheWaitWouldBeLong() {
        AtomicLong now = new AtomicLong();
        HostRateLimiter limiter = new HostRateLimiter(0.1, now::get);
        assertTrue(assertDoesNotThrowAcquire(limiter, "a.example"));
        RetryableFailure f = assertThrows(RetryableFailure.class, () -> limiter.acquire("a.example"));
        assertEquals("rate_limited", f.code());
        assertTrue(f.retryAfter().get().toSeconds() >= 10);
        assertTrue(assertDoesNotThrowAcquire(limiter, "b.example"), "limits are per host");
    }

    private static boolean assertDoesNotThrowAcquire(HostRateLimiter limiter, String host) {
        try {
            limiter.acquire(host);
            return true;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
