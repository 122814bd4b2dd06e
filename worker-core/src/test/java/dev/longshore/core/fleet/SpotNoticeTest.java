package dev.longshore.core.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SpotNoticeTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void readsActionAndTimeAsEc2WritesThem() {
        SpotNotice n = SpotNotice.parse("{\"action\": \"terminate\", \"time\": \"2026-11-22T10:02:00Z\"}", NOW);
        assertEquals(new SpotNotice("terminate", Instant.parse("2026-11-22T10:02:00Z")), n);
    }

    @Test
    void unreadableNoticeStillMeansTwoMinutes() {
        assertEquals(new SpotNotice("terminate", NOW.plus(Duration.ofMinutes(2))), SpotNotice.parse("garbage", NOW));
        assertEquals(new SpotNotice("hibernate", NOW.plus(Duration.ofMinutes(2))),
                SpotNotice.parse("{\"action\":\"hibernate\",\"time\":\"soon\"}", NOW));
    }

    @Test
    void budgetLeavesTheSafetyMarginBeforeTheInterruption() {
        SpotNotice n = new SpotNotice("terminate", NOW.plusSeconds(120));
        assertEquals(Duration.ofSeconds(100), n.drainBudget(NOW, Duration.ofMinutes(15), Duration.ofSeconds(20)));
    }

    @Test
    void budgetIsCappedByTheDrainTimeoutAndNeverNegative() {
        SpotNotice n = new SpotNotice("terminate", NOW.plusSeconds(120));
        assertEquals(Duration.ofSeconds(30), n.drainBudget(NOW, Duration.ofSeconds(30), Duration.ofSeconds(20)));
        assertEquals(Duration.ZERO, n.drainBudget(NOW.plusSeconds(110), Duration.ofMinutes(15), Duration.ofSeconds(20)));
        assertEquals(Duration.ZERO, n.drainBudget(NOW.plusSeconds(500), Duration.ofMinutes(15), Duration.ofSeconds(20)));
    }
}
