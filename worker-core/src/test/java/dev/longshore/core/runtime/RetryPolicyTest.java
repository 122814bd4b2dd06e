package dev.longshore.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(10), Duration.ofMinutes(15), () -> 1.0);

    @ParameterizedTest(name = "receive {0}: {1} s")
    @CsvSource({"1, 10", "2, 20", "3, 40", "7, 640", "8, 900", "1000, 900"})
    void ceilingDoublesWithEachReceiveUpToTheMaximum(int receiveCount, long seconds) {
        assertEquals(Duration.ofSeconds(seconds), policy.ceiling(receiveCount));
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
