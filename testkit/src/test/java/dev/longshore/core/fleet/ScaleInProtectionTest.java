package dev.longshore.core.fleet;

import dev.longshore.testkit.FakeWorkerControl;
import dev.longshore.testkit.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.testkit.aws.AwsCall;
import dev.longshore.testkit.aws.FakeAws;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scale-in protection ticked by hand on a hand-moved clock, its calls going over the wire to the fake. */
class ScaleInProtectionTest {
    private static final Duration HOLD = Duration.ofSeconds(60);

    private FakeAws aws;
    private MutableClock clock;
    private FakeWorkerControl control;
    private FleetContext fleet;
    private ScaleInProtection protection;

    @BeforeEach
    void setUp() {
        aws = FakeAws.start();
        clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
        control = new FakeWorkerControl();
        fleet = FleetFixtures.context(aws, Optional.empty(), clock);
        protection = new ScaleInProtection(fleet, HOLD, clock);
        protection.bind(control);
    }

    @AfterEach
    void tearDown() {
        fleet.close();
        aws.close();
    }

    private List<AwsCall> calls() {
        return aws.autoScaling().calls("SetInstanceProtection");
    }

    /** Runs the one-second ticks the protection thread would run over {@code d}. */
    private void run(Duration d) {
        for (long s = 0; s < d.toSeconds(); s++) {
            clock.advance(Duration.ofSeconds(1));
            protection.tick();
        }
    }

    @Test
    void busyWorkerIsProtectedWithOneCall() {
        control.setInflight(2);
        run(Duration.ofSeconds(30));
        assertEquals(1, calls().size());
        AwsCall call = calls().get(0);
        assertEquals("true", call.param("ProtectedFromScaleIn"));
        assertEquals("longshore-local", call.param("AutoScalingGroupName"));
        assertEquals("i-0123456789abcdef0", call.param("InstanceIds.member.1"));
        assertTrue(aws.autoScaling().isProtectedFromScaleIn());
    }

    @Test
    void idleGapsShorterThanTheHoldDoNotFlap() {
        control.setInflight(1);
        run(Duration.ofSeconds(5));
        // Ten minutes of a queue that delivers a job every ~40 s: busy 5 s, idle 35 s, again and again.
        for (int i = 0; i < 15; i++) {
            control.setInflight(0);
            run(Duration.ofSeconds(35));
            control.setInflight(1);
            run(Duration.ofSeconds(5));
        }
        assertEquals(1, calls().size(), "one protect, no toggling");
        assertEquals(ScaleInProtection.Protection.PROTECTED, protection.current());
    }

    @Test
    void idleForTheWholeHoldLiftsProtectionOnce() {
        control.setInflight(1);
        run(Duration.ofSeconds(3));
        control.setInflight(0);
        run(HOLD.minusSeconds(1));
        assertTrue(aws.autoScaling().isProtectedFromScaleIn(), "still inside the hold");
        run(Duration.ofSeconds(1));
        assertFalse(aws.autoScaling().isProtectedFromScaleIn());
        run(Duration.ofMinutes(10));
        assertEquals(2, calls().size(), "protect, unprotect, then nothing while idle");
    }

    @Test
    void instanceProtectedAtLaunchByTheGroupIsFreedOnceIdleForTheHold() {
        aws.autoScaling().setProtectedFromScaleIn(true);
        run(HOLD.minusSeconds(1));
        assertTrue(calls().isEmpty());
        run(Duration.ofSeconds(1));
        assertEquals(1, calls().size());
        assertFalse(aws.autoScaling().isProtectedFromScaleIn());
    }

    @Test
    void failedCallIsRetriedAfterItsBackoffNotOnEveryTick() {
        aws.autoScaling().failNext("SetInstanceProtection", 400, "AccessDenied");
        control.setInflight(1);
        run(Duration.ofSeconds(1));
        assertEquals(1, calls().size(), "protect at once, refused");
        run(ScaleInProtection.RETRY_AFTER.minusSeconds(1));
        assertEquals(1, calls().size(), "the failed call only");
        run(Duration.ofSeconds(1));
        assertEquals(2, calls().size());
        assertTrue(aws.autoScaling().isProtectedFromScaleIn());
    }

    @Test
    void stoppingWhileProtectedLiftsTheProtection() {
        control.setInflight(1);
        run(Duration.ofSeconds(2));
        assertTrue(aws.autoScaling().isProtectedFromScaleIn());
        protection.close();
        assertFalse(aws.autoScaling().isProtectedFromScaleIn());
        assertEquals(2, calls().size());
    }
}
