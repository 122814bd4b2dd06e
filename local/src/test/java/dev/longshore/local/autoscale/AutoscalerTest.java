package dev.longshore.local.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AutoscalerTest {
    /** The AWS alarm shape: out after 3 periods above, in after 15 below 90%. */
    private static ScalingPolicy policy(int min, int max, double target) {
        return ScalingPolicy.aws(min, max, target, Duration.ofSeconds(180));
    }

    private static Observation inService(int visible, int inService) {
        return waiting(visible, 0, inService, 0, 0);
    }

    /** Messages waiting, none in flight: every instance in service is idle. */
    private static Observation waiting(int visible, int booting, int inService, int warming, int draining) {
        return new Observation(visible, 0, booting, inService, warming, draining, inService);
    }

    /** Evaluates {@code o} for the three periods a scale-out waits for; returns the third decision. */
    private static ScalingDecision threePeriodsOf(Autoscaler a, Observation o) {
        a.evaluate(o);
        a.evaluate(o);
        return a.evaluate(o);
    }

    @Test
    void zeroToOneLaunchesOneInstanceWhenMessagesWaitAndNoneIsWanted() {
        Autoscaler a = new Autoscaler(policy(0, 10, 20));
        ScalingDecision d = a.evaluate(waiting(500, 0, 0, 0, 0));
        assertEquals(1, d.launch(), d.reason());
        assertTrue(d.reason().startsWith("zero to one"), d.reason());
    }

    @Test
    void emptyQueueAtZeroStaysAtZero() {
        Autoscaler a = new Autoscaler(policy(0, 10, 20));
        for (int i = 0; i < 20; i++) {
            assertFalse(a.evaluate(waiting(0, 0, 0, 0, 0)).changes());
        }
    }

    @Test
    void launchesUpToMinWhenBelowIt() {
        Autoscaler a = new Autoscaler(policy(3, 10, 20));
        assertEquals(2, a.evaluate(waiting(0, 0, 1, 0, 0)).launch());
    }

    @Test
    void noDataPointWhileTheOnlyInstancesAreBooting() {
        Autoscaler a = new Autoscaler(policy(0, 10, 20));
        for (int i = 0; i < 10; i++) {
            ScalingDecision d = a.evaluate(waiting(500, 1, 0, 0, 0));
            assertFalse(d.changes(), d.reason());
        }
        // no data point is not a high period: once in service it still takes three periods above the target
        assertFalse(a.evaluate(inService(499, 1)).changes());
        assertFalse(a.evaluate(inService(498, 1)).changes());
        assertEquals(9, a.evaluate(inService(497, 1)).launch(), "ceil(497 / 20) = 25, capped at max 10");
    }

    @Test
    void scalesOutToCeilOfVisibleOverTargetAfterThreePeriodsAbove() {
        Autoscaler a = new Autoscaler(policy(0, 10, 20));
        assertFalse(a.evaluate(inService(95, 1)).changes());
        assertFalse(a.evaluate(inService(95, 1)).changes());
        ScalingDecision d = a.evaluate(inService(95, 1));
        // ceil(95 / 20) = 5 wanted, 1 there
        assertEquals(4, d.launch(), d.reason());
        assertTrue(d.reason().contains("1 -> 5"), d.reason());
    }

    @Test
    void scaleOutIsCappedAtMax() {
        Autoscaler a = new Autoscaler(policy(0, 10, 20));
        ScalingDecision d = threePeriodsOf(a, inService(1000, 2));
        assertEquals(8, d.launch());
        assertTrue(d.reason().endsWith("(max)"), d.reason());
    }

    @Test
    void instancesAlreadyBootingCountSoNothingIsLaunchedTwice() {
        Autoscaler a = new Autoscaler(policy(0, 10, 20));
        assertEquals(4, threePeriodsOf(a, inService(95, 1)).launch());
        // the metric is still high (the new ones are booting), but 5 are wanted and 5 exist
        ScalingDecision d = a.evaluate(waiting(95, 4, 1, 0, 0));
        assertFalse(d.changes(), d.reason());
        // more messages arrive: the rule applies again while the alarm stays high
        assertEquals(2, a.evaluate(waiting(140, 4, 1, 0, 0)).launch());
    }

    @Test
    void aPeriodAtTheTargetRestartsTheScaleOutCount() {
        Autoscaler a = new Autoscaler(policy(0, 10, 20));
        a.evaluate(inService(95, 1));
        a.evaluate(inService(95, 1));
        assertFalse(a.evaluate(inService(20, 1)).changes()); // exactly at the target is not above it
        assertFalse(a.evaluate(inService(95, 1)).changes());
        assertFalse(a.evaluate(inService(95, 1)).changes());
        assertEquals(4, a.evaluate(inService(95, 1)).launch());
    }

    @Test
    void scalesInAfterFifteenPeriodsBelowNinetyPercentToCeilOfVisibleOverTarget() {
        Autoscaler a = new Autoscaler(policy(0, 10, 20));
        for (int i = 1; i < 15; i++) {
            assertFalse(a.evaluate(inService(30, 5)).changes(), "period " + i);
        }
        ScalingDecision d = a.evaluate(inService(30, 5));
        // 30 / 5 = 6 < 18; ceil(30 / 20) = 2 wanted
        assertEquals(3, d.terminate(), d.reason());
    }

    @Test
    void metricBetweenNinetyPercentAndTheTargetNeverScales() {
        Autoscaler a = new Autoscaler(policy(0, 10, 20));
        for (int i = 0; i < 100; i++) {
            assertFalse(a.evaluate(inService(95, 5)).changes()); // 19 per instance
        }
    }

    @Test
    void scaleInWaitsWhileAnInstanceWarmsUpOrBoots() {
        Autoscaler a = new Autoscaler(policy(0, 10, 20));
        for (int i = 0; i < 20; i++) {
            assertFalse(a.evaluate(waiting(0, 0, 3, 1, 0)).changes());
        }
        assertFalse(a.evaluate(waiting(0, 1, 3, 0, 0)).changes());
        assertEquals(3, a.evaluate(waiting(0, 0, 3, 0, 0)).terminate());
    }

    @Test
    void scaleInStopsAtMin() {
        Autoscaler a = new Autoscaler(policy(2, 10, 20));
        ScalingDecision d = null;
        for (int i = 0; i < 15; i++) {
            d = a.evaluate(inService(0, 6));
        }
        assertEquals(4, d.terminate(), d.reason());
    }

    @Test
    void drainingInstancesAreNotPartOfDesiredCapacity() {
        Autoscaler a = new Autoscaler(policy(0, 10, 20));
        // 2 in service and 3 draining: ceil(100 / 20) = 5 wanted, 2 counted
        assertEquals(3, threePeriodsOf(a, waiting(100, 0, 2, 0, 3)).launch());
    }

    @Test
    void workInFlightCountsSoASteadyLoadWithNothingWaitingHoldsItsSize() {
        // 30 jobs running on 8 instances of concurrency 4, none waiting: 3.75 per instance, between 90% and the target
        Autoscaler a = new Autoscaler(policy(1, 20, 4));
        for (int i = 0; i < 100; i++) {
            ScalingDecision d = a.evaluate(new Observation(0, 30, 0, 8, 0, 0, 0));
            assertFalse(d.changes(), d.reason());
        }
    }

    @Test
    void scaleOutCountsWaitingAndRunningWork() {
        Autoscaler a = new Autoscaler(policy(0, 20, 4));
        for (int i = 0; i < 2; i++) {
            a.evaluate(new Observation(10, 8, 0, 2, 0, 0, 0));
        }
        // (10 + 8) / 2 = 9 > 4; ceil(18 / 4) = 5
        assertEquals(3, a.evaluate(new Observation(10, 8, 0, 2, 0, 0, 0)).launch());
    }

    @Test
    void scaleInTakesOnlyIdleInstancesAndWaitsWhenAllAreBusy() {
        Autoscaler a = new Autoscaler(policy(1, 20, 4));
        ScalingDecision d = null;
        for (int i = 0; i < 15; i++) {
            // 30 in flight on 20 instances: 1.5 < 3.6; ceil(30 / 4) = 8 wanted; all 20 busy
            d = a.evaluate(new Observation(0, 30, 0, 20, 0, 0, 0));
        }
        assertFalse(d.changes(), d.reason());
        assertTrue(d.reason().contains("busy (scale-in protection)"), d.reason());
        // 5 idle: only those go, and the rule applies again next period
        d = a.evaluate(new Observation(0, 30, 0, 20, 0, 0, 5));
        assertEquals(5, d.terminate(), d.reason());
        assertTrue(d.reason().contains("20 -> 15 (8 wanted; 7 more busy, protected)"), d.reason());
        assertEquals(7, a.evaluate(new Observation(0, 30, 0, 15, 0, 0, 9)).terminate());
    }
}
