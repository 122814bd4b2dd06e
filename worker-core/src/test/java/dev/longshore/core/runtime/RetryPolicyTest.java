package dev.longshore.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(10), Duration.ofMinutes(15), () -> 1.0);

    @Test
    void ceilingDoublesWithEachReceiveUpToTheMaximum() {
        assertEquals(Duration.ofSeconds(10), policy.ceiling(1));
        assertEquals(Duration.ofSeconds(20), policy.ceiling(2));
        assertEquals(Duration.ofSeconds(40), policy.ceiling(3));
        assertEquals(Duration.ofSeconds(640), policy.ceiling(7));
        assertEquals(Duration.ofMinutes(15), policy.ceiling(8));
        assertEquals(Duration.ofMinutes(15), policy.ceiling(1000));
    }

    @Test
    void jitterDrawsFromHalfToFullCeiling() {
        RetryPolicy low = new RetryPolicy(Duration.ofSeconds(10), Duration.ofMinutes(15), () -> 0.0);
        RetryPolicy mid = new RetryPolicy(Duration.ofSeconds(10), Duration.ofMinutes(15), () -> 0.5);
        assertEquals(Duration.ofSeconds(20), low.delay(3));
        assertEquals(Duration.ofSeconds(30), mid.delay(3));
        assertEquals(Duration.ofSeconds(40), policy.delay(3));
    }

    @Test
    void visibilityIsWholeSecondsRoundedUpAndCappedAtTwelveHours() {
        RetryPolicy tiny = new RetryPolicy(Duration.ofMillis(300), Duration.ofHours(12), () -> 1.0);
        assertEquals(1, tiny.visibilitySeconds(1));
        RetryPolicy huge = new RetryPolicy(Duration.ofHours(12), Duration.ofHours(12), () -> 1.0);
        assertEquals(43_200, huge.visibilitySeconds(40));
    }
}
