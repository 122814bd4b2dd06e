package dev.longshore.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VisibilityEstimatorTest {

    @Test
    void derivedVisibilityIsThreeTimesTheMeanButAtLeastThirtySeconds() {
        VisibilityEstimator e = new VisibilityEstimator(Optional.empty());
        assertEquals(30, e.seconds());
        e.observe(Duration.ofSeconds(2));
        assertEquals(30, e.seconds());
        VisibilityEstimator slow = new VisibilityEstimator(Optional.empty());
        slow.observe(Duration.ofSeconds(100));
        assertEquals(300, slow.seconds());
    }

    @Test
    void explicitVisibilityIsUsedAsGivenOnReceiveAndByTheHeartbeat() {
        VisibilityEstimator e = new VisibilityEstimator(Optional.of(Duration.ofSeconds(2)));
        e.observe(Duration.ofSeconds(100));
        assertEquals(2, e.seconds());
        assertEquals(2, e.receiveSeconds());
    }

    @Test
    void withoutAnExplicitValueReceiveAsksForThirtySecondsHoweverLongJobsTake() {
        VisibilityEstimator e = new VisibilityEstimator(Optional.empty());
        e.observe(Duration.ofMinutes(20));
        assertEquals(3600, e.seconds(), "the heartbeat target grows with the jobs");
        assertEquals(30, e.receiveSeconds(), "the receive stays short");
    }

    @Test
    void theMeanProcessingTimeIsZeroBeforeTheFirstJobThenFollowsRecentJobs() {
        VisibilityEstimator e = new VisibilityEstimator(java.util.Optional.empty());
        assertEquals(java.time.Duration.ZERO, e.meanProcessingTime());
        e.observe(java.time.Duration.ofMillis(50));
        assertEquals(java.time.Duration.ofMillis(50), e.meanProcessingTime());
        e.observe(java.time.Duration.ofMillis(150));
        assertEquals(java.time.Duration.ofMillis(60), e.meanProcessingTime());
    }
}
