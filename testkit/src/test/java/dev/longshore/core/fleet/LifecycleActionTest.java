package dev.longshore.core.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.DrainReport;
import dev.longshore.core.ExitCodes;
import dev.longshore.core.config.LifecycleHook;
import dev.longshore.testkit.FakeWorkerControl;
import dev.longshore.testkit.LogCapture;
import dev.longshore.testkit.MutableClock;
import dev.longshore.testkit.aws.AwsCall;
import dev.longshore.testkit.aws.FakeAws;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The action driven directly, as the watcher's thread (Terminated, heartbeats) and the worker's drain thread (the
 * after-drain step) would: every call returns once its Auto Scaling call is answered, and time is a hand-moved clock.
 */
class LifecycleActionTest {
    private static final DrainReport REPORT = new DrainReport("test", 3, 1, Duration.ofMillis(5), 0);
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration HEARTBEAT = Duration.ofSeconds(60);

    private final MutableClock clock = MutableClock.atEpoch();
    private FakeAws aws;
    private FleetContext fleet;
    private FakeWorkerControl control;
    private LifecycleAction action;

    @BeforeEach
    void setUp() {
        aws = FakeAws.start();
        fleet = FleetFixtures.context(aws, Optional.empty(), clock);
        control = new FakeWorkerControl("test", clock);
        action = new LifecycleAction(fleet, new LifecycleHook("drain", DRAIN_TIMEOUT, Duration.ofSeconds(5), HEARTBEAT),
                control, clock);
        control.onDrained(action::drainEnded);
        // The instance is in Terminating:Wait, as it is whenever the watcher reads Terminated.
        aws.scaleIn();
    }

    @AfterEach
    void tearDown() {
        fleet.close();
        aws.close();
    }

    private List<AwsCall> calls(String name) {
        return aws.autoScaling().calls(name);
    }

    @Test
    void completesOnceWhenTheDrainEndsAfterTerminated() {
        try (LogCapture logs = new LogCapture(LifecycleWatcher.class)) {
            action.begin();
            assertEquals(List.of(new FakeWorkerControl.Drain("lifecycle Terminated", DRAIN_TIMEOUT, ExitCodes.OK,
                    clock.instant())), control.drains());
            assertTrue(calls("CompleteLifecycleAction").isEmpty(), "nothing completed while the drain runs");

            control.finishDrain(REPORT);
            assertEquals(1, calls("CompleteLifecycleAction").size());
            assertEquals("CONTINUE", aws.autoScaling().lifecycleActionResult().orElseThrow());
            assertEquals(1, logs.messagesContaining("CONTINUE (3 job(s) finished, 1 released)").size(),
                    logs.messagesContaining("").toString());

            // Terminated read again, or the step run again: still one completion.
            action.begin();
            action.drainEnded(REPORT);
            assertEquals(1, calls("CompleteLifecycleAction").size());
            assertEquals(1, control.drains().size());
        }
    }

    @Test
    void completesAtOnceWhenADrainByASignalEndedBeforeTerminated() {
        control.drain("shutdown signal", Duration.ofSeconds(30), ExitCodes.OK);
        control.finishDrain(REPORT);
        assertFalse(action.begun());
        assertTrue(calls("CompleteLifecycleAction").isEmpty(), "no Terminated yet: nothing to complete");

        action.begin();
        assertEquals(1, calls("CompleteLifecycleAction").size(), "completed before begin() returned");
        assertEquals("CONTINUE", aws.autoScaling().lifecycleActionResult().orElseThrow());
        assertTrue(action.begun());
        assertEquals(Optional.empty(), action.nextHeartbeat(), "no heartbeat for a completed action");
    }

    @Test
    void heartbeatsOnlyWhileTheDrainRuns() {
        clock.advance(HEARTBEAT.multipliedBy(2));
        action.heartbeatIfDue();
        assertEquals(Optional.empty(), action.nextHeartbeat(), "before Terminated");

        action.begin();
        Instant first = clock.instant().plus(LifecycleAction.FIRST_HEARTBEAT_AFTER);
        assertEquals(Optional.of(first), action.nextHeartbeat(), "the first soon, whatever the interval");
        action.heartbeatIfDue();
        assertTrue(calls("RecordLifecycleActionHeartbeat").isEmpty(), "not due yet");

        clock.advance(LifecycleAction.FIRST_HEARTBEAT_AFTER);
        action.heartbeatIfDue();
        action.heartbeatIfDue();
        assertEquals(1, calls("RecordLifecycleActionHeartbeat").size(), "one per due time");
        assertEquals(Optional.of(clock.instant().plus(HEARTBEAT)), action.nextHeartbeat(), "then every interval");

        clock.advance(HEARTBEAT);
        action.heartbeatIfDue();
        assertEquals(2, calls("RecordLifecycleActionHeartbeat").size());

        control.finishDrain(REPORT);
        clock.advance(HEARTBEAT.multipliedBy(3));
        action.heartbeatIfDue();
        assertEquals(2, calls("RecordLifecycleActionHeartbeat").size(), "none after the completion");
        assertEquals(Optional.empty(), action.nextHeartbeat());
    }

    @Test
    void firstHeartbeatWaitsNoLongerThanAShortInterval() {
        Duration interval = Duration.ofMillis(500);
        LifecycleAction quick = new LifecycleAction(fleet, new LifecycleHook("drain", DRAIN_TIMEOUT, Duration.ofSeconds(5),
                interval), control, clock);
        quick.begin();
        assertEquals(Optional.of(clock.instant().plus(interval)), quick.nextHeartbeat());
    }

    @Test
    void aDrainWithoutTerminatedCallsNothing() {
        control.drain("spot interruption notice", Duration.ofSeconds(60), ExitCodes.OK);
        control.finishDrain(REPORT);
        clock.advance(HEARTBEAT.multipliedBy(2));
        action.heartbeatIfDue();
        assertFalse(action.begun());
        assertTrue(aws.autoScaling().calls().stream().noneMatch(c -> c.action().contains("LifecycleAction")),
                aws.autoScaling().calls().toString());
    }
}
