package dev.longshore.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.queue.QueueMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VisibilityHeartbeatTest {
    private static final Instant T0 = Instant.parse("2026-11-22T00:00:00Z");

    private static InFlightMessage held(Instant received, int visibility) {
        QueueMessage msg = new QueueMessage("m-" + received.toEpochMilli(), "rh", "{}", 1, Optional.empty(), Map.of());
        return new InFlightMessage(msg, received, visibility, InFlightMessage.Phase.RUNNING);
    }

    @Test
    void extendsOnlyOnceLessThanHalfTheVisibilityIsLeft() {
        InFlightMessage m = held(T0, 30);
        assertTrue(VisibilityHeartbeat.due(List.of(m), T0.plusSeconds(14), 30).isEmpty());
        assertEquals(Map.of(m, 30), VisibilityHeartbeat.due(List.of(m), T0.plusSeconds(16), 30));
    }

    @Test
    void releasedMessagesAreNotExtended() {
        InFlightMessage m = held(T0, 30);
        m.phase.set(InFlightMessage.Phase.RELEASED);
        assertTrue(VisibilityHeartbeat.due(List.of(m), T0.plusSeconds(29), 30).isEmpty());
    }

    @Test
    void extensionNeverAsksPastTwelveHoursFromTheFirstReceive() {
        InFlightMessage m = held(T0, 600);
        Instant now = T0.plus(Duration.ofHours(12)).minusSeconds(200);
        m.visibleUntil(now.plusSeconds(100));
        Map<InFlightMessage, Integer> due = VisibilityHeartbeat.due(List.of(m), now, 600);
        assertEquals(195, due.get(m), "capped to what is left of SQS's 12 h");
        m.visibleUntil(T0.plus(VisibilityHeartbeat.SQS_LIMIT));
        assertTrue(VisibilityHeartbeat.due(List.of(m), T0.plus(VisibilityHeartbeat.SQS_LIMIT).minusSeconds(10), 600).isEmpty(),
                "nothing more can be had at the ceiling");
    }

    @Test
    void aMessageReceivedWithTheShortVisibilityIsExtendedToTheDerivedTarget() {
        InFlightMessage m = held(T0, 30);
        assertEquals(Map.of(m, 3600), VisibilityHeartbeat.due(List.of(m), T0.plusSeconds(1), 3600),
                "30 s left is less than half of a 1 h target: extended at once, to the target");
        m.visibleUntil(T0.plusSeconds(1 + 3600));
        assertTrue(VisibilityHeartbeat.due(List.of(m), T0.plusSeconds(60), 3600).isEmpty());
    }

    @Test
    void tickIsASixthOfTheVisibilityWithinBounds() {
        assertEquals(Duration.ofMillis(166), VisibilityHeartbeat.tick(1));
        assertEquals(Duration.ofSeconds(5), VisibilityHeartbeat.tick(30));
        assertEquals(Duration.ofMillis(100), VisibilityHeartbeat.tick(0));
    }
}
