package dev.longshore.core.fleet;

import dev.longshore.testkit.FakeWorkerControl;
import dev.longshore.testkit.MutableClock;
import dev.longshore.testkit.TestWorkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.DrainReport;
import dev.longshore.core.ExitCodes;
import dev.longshore.core.config.LifecycleHook;
import dev.longshore.testkit.aws.AwsCall;
import dev.longshore.testkit.aws.FakeAws;
import dev.longshore.testkit.aws.FakeInstanceMetadata;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The watcher against fake instance metadata and Auto Scaling, steering a recorded {@link FakeWorkerControl}. */
class LifecycleWatcherTest {
    private static final DrainReport REPORT = new DrainReport("test", 1, 0, Duration.ofMillis(5), 0);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration HEARTBEAT = Duration.ofMillis(100);

    private FakeAws aws;
    private FakeWorkerControl control;
    private FleetContext fleet;
    private LifecycleWatcher watcher;

    @BeforeEach
    void setUp() {
        aws = FakeAws.start();
        control = new FakeWorkerControl();
        fleet = FleetFixtures.context(aws);
    }

    @AfterEach
    void tearDown() {
        if (watcher != null) {
            watcher.close();
        }
        fleet.close();
        aws.close();
    }

    /** A watcher that has polled once, then saw a drain by a signal end: the worker stopped for another cause. */
    private void watcherAfterASignalDrain() throws Exception {
        startWatcher(Duration.ofMinutes(15));
        awaitPolls(1);
        control.drain("shutdown signal", Duration.ofSeconds(30), ExitCodes.OK);
        control.finishDrain(REPORT);
    }

    private void startWatcher(Duration drainTimeout) {
        startWatcher(drainTimeout, Clock.systemUTC());
    }

    private void startWatcher(Duration drainTimeout, Clock clock) {
        watcher = new LifecycleWatcher(fleet, new LifecycleHook("drain", drainTimeout, POLL, HEARTBEAT), clock);
        watcher.start(control);
    }

    /** Waits until the watcher has read the target lifecycle state {@code more} more times (it acted on what it saw). */
    private void awaitPolls(int more) throws InterruptedException {
        int target = aws.metadata().reads(FakeInstanceMetadata.LIFECYCLE_STATE) + more;
        assertTrue(TestWorkers.eventually(Duration.ofSeconds(5),
                () -> aws.metadata().reads(FakeInstanceMetadata.LIFECYCLE_STATE) >= target), "the watcher polls");
    }

    private List<AwsCall> calls(String action) {
        return aws.autoScaling().calls(action);
    }

    @Test
    void terminatedDrainsWithTheLifecycleBudgetAndHeartbeatsUntilTheActionIsCompleted() throws Exception {
        // The watcher's time is this clock: it polls and heartbeats only when the test moves it.
        MutableClock clock = MutableClock.atEpoch();
        startWatcher(Duration.ofMinutes(15), clock);
        awaitPolls(1);
        assertTrue(control.drains().isEmpty(), "InService: no drain");

        aws.scaleIn();
        clock.advance(POLL);
        assertTrue(TestWorkers.eventually(Duration.ofSeconds(5), () -> !control.drains().isEmpty()));
        FakeWorkerControl.Drain drain = control.drains().get(0);
        assertEquals(List.of("lifecycle Terminated", Duration.ofMinutes(15), ExitCodes.OK),
                List.of(drain.reason(), drain.budget(), drain.exitCode()));
        for (int n = 1; n <= 3; n++) {
            clock.advance(HEARTBEAT);
            int expected = n;
            assertTrue(TestWorkers.eventually(Duration.ofSeconds(5),
                    () -> calls("RecordLifecycleActionHeartbeat").size() == expected), "heartbeat " + n);
        }
        assertTrue(calls("CompleteLifecycleAction").isEmpty(), "nothing completed while the drain runs");

        control.finishDrain(REPORT);
        assertEquals(1, calls("CompleteLifecycleAction").size());
        clock.advance(HEARTBEAT.multipliedBy(100));
        // Three turns of the watcher's loop (three clock reads each) after the clock passed many heartbeat times.
        assertTrue(clock.awaitReads(9, Duration.ofSeconds(5)), "the watcher keeps running");
        assertEquals(3, calls("RecordLifecycleActionHeartbeat").size(), "no heartbeat after the completion");
        assertEquals("CONTINUE", aws.autoScaling().lifecycleActionResult().orElseThrow());
    }

    @Test
    void drainByAnotherCauseCompletesNoLifecycleAction() throws Exception {
        watcherAfterASignalDrain();
        awaitPolls(2);
        assertTrue(calls("CompleteLifecycleAction").isEmpty());
        assertTrue(calls("RecordLifecycleActionHeartbeat").isEmpty());
    }

    @Test
    void terminatedSeenAfterASignalDrainEndedStillCompletesTheAction() throws Exception {
        // docker stop came first (SIGTERM drain over), the instance is still in Terminating:Wait.
        watcherAfterASignalDrain();

        aws.scaleIn();
        assertTrue(TestWorkers.eventually(Duration.ofSeconds(5), () -> calls("CompleteLifecycleAction").size() == 1));
        assertEquals("CONTINUE", aws.autoScaling().lifecycleActionResult().orElseThrow());
    }

    @Test
    void completionSurvivesOneServerErrorThroughTheSdkRetry() throws Exception {
        startWatcher(Duration.ofMinutes(15));
        aws.autoScaling().failNext("CompleteLifecycleAction", 500, "InternalFailure");
        aws.scaleIn();
        assertTrue(TestWorkers.eventually(Duration.ofSeconds(5), () -> !control.drains().isEmpty()));
        control.finishDrain(REPORT);
        assertEquals(2, calls("CompleteLifecycleAction").size());
        assertEquals("CONTINUE", aws.autoScaling().lifecycleActionResult().orElseThrow());
    }

    @Test
    void configuredGroupNameIsUsedWithoutLookingItUp() throws Exception {
        fleet.close();
        fleet = FleetFixtures.context(aws, Optional.of("longshore-local"), Clock.systemUTC());
        startWatcher(Duration.ofMinutes(15));
        aws.scaleIn();
        assertTrue(TestWorkers.eventually(Duration.ofSeconds(5), () -> !control.drains().isEmpty()));
        control.finishDrain(REPORT);
        assertEquals(1, calls("CompleteLifecycleAction").size());
        assertTrue(calls("DescribeAutoScalingInstances").isEmpty());
    }

    @Test
    void spotNoticeDrainsAtOnceWithABudgetThatEndsBeforeTheInterruption() throws Exception {
        // On the watcher's own clock, the notice is read at the instant it was given: the budget is exact.
        MutableClock clock = MutableClock.atEpoch();
        Instant interruption = clock.instant().plus(LifecycleWatcher.SPOT_SAFETY_MARGIN).plusSeconds(60);
        aws.metadata().spotInterruption("terminate", interruption);
        startWatcher(Duration.ofMinutes(15), clock);

        assertTrue(TestWorkers.eventually(Duration.ofSeconds(5), () -> !control.drains().isEmpty()));
        FakeWorkerControl.Drain drain = control.drains().get(0);
        assertTrue(drain.reason().startsWith("spot interruption notice (terminate"), drain.reason());
        assertEquals(Duration.ofSeconds(60), drain.budget());
        assertEquals(ExitCodes.OK, drain.exitCode());
        control.finishDrain(REPORT);
        assertTrue(calls("CompleteLifecycleAction").isEmpty(), "a spot notice alone opens no lifecycle action");
    }

    @Test
    void spotDrainNeverExceedsTheLifecycleDrainTimeout() throws Exception {
        startWatcher(Duration.ofSeconds(10));
        aws.metadata().spotInterruption("stop", Instant.now().plusSeconds(120));
        assertTrue(TestWorkers.eventually(Duration.ofSeconds(5), () -> !control.drains().isEmpty()));
        assertEquals(Duration.ofSeconds(10), control.drains().get(0).budget());
    }

    @Test
    void rebalanceRecommendationIsCountedOnceAndDrainsNothing() throws Exception {
        startWatcher(Duration.ofMinutes(15));
        aws.metadata().rebalanceRecommendation(Instant.parse("2026-11-22T00:00:00Z"));
        assertTrue(TestWorkers.eventually(Duration.ofSeconds(5),
                () -> control.metrics().counter("longshore_rebalance_recommendations_total").value() == 1));
        awaitPolls(2);
        assertEquals(1, control.metrics().counter("longshore_rebalance_recommendations_total").value());
        assertTrue(control.drains().isEmpty());
        assertTrue(control.metrics().prometheusText().contains("longshore_rebalance_recommendations_total 1"));
    }

    @Test
    void metadataAnsweringWithErrorsAtStartIsAskedAgainNotTakenForOffEc2() throws Exception {
        aws.metadata().serviceErrors(true);
        startWatcher(Duration.ofMinutes(15));
        assertTrue(TestWorkers.eventually(Duration.ofSeconds(5), () -> aws.metadata().serviceErrorsAnswered() >= 3),
                "asked again after errors");
        assertTrue(!fleet.offEc2());
        aws.metadata().serviceErrors(false);
        aws.scaleIn();
        assertTrue(TestWorkers.eventually(Duration.ofSeconds(5), () -> !control.drains().isEmpty()));
    }

    @Test
    void watcherKeepsPollingAfterTheServiceRefusesItsTokens() throws Exception {
        startWatcher(Duration.ofMinutes(15));
        awaitPolls(1);
        aws.metadata().invalidateTokens();
        assertTrue(TestWorkers.eventually(Duration.ofSeconds(5), () -> aws.metadata().unauthorized() == 1));
        awaitPolls(1);
        aws.scaleIn();
        assertTrue(TestWorkers.eventually(Duration.ofSeconds(5), () -> !control.drains().isEmpty()));
        assertEquals(1, aws.metadata().unauthorized());
    }
}
