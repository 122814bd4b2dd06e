package dev.longshore.core.fleet;

import dev.longshore.testkit.FakeWorkerControl;
import dev.longshore.testkit.TestWorkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.DrainReport;
import dev.longshore.core.ExitCodes;
import dev.longshore.testkit.aws.AwsCall;
import dev.longshore.testkit.aws.FakeAws;
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

    private void startWatcher(Duration drainTimeout) {
        watcher = new LifecycleWatcher(fleet, "drain", Duration.ofMillis(50), Duration.ofMillis(100), drainTimeout,
                Clock.systemUTC());
        watcher.start(control);
    }

    private List<AwsCall> calls(String action) {
        return aws.autoScaling().calls(action);
    }

    @Test
    void terminatedDrainsWithTheLifecycleBudgetAndHeartbeatsUntilTheActionIsCompleted() throws Exception {
        startWatcher(Duration.ofMinutes(15));
        Thread.sleep(200);
        assertTrue(control.drains().isEmpty(), "InService: no drain");

        aws.scaleIn();
        assertTrue(TestWorkers.eventually(Duration.ofSeconds(5), () -> !control.drains().isEmpty()));
        FakeWorkerControl.Drain drain = control.drains().get(0);
        assertEquals(List.of("lifecycle Terminated", Duration.ofMinutes(15), ExitCodes.OK),
                List.of(drain.reason(), drain.budget(), drain.exitCode()));
        assertTrue(TestWorkers.eventually(Duration.ofSeconds(5), () -> calls("RecordLifecycleActionHeartbeat").size() >= 3));
        assertTrue(calls("CompleteLifecycleAction").isEmpty(), "nothing completed while the drain runs");

        control.finishDrain(REPORT);
        assertEquals(1, calls("CompleteLifecycleAction").size());
        int heartbeats = calls("RecordLifecycleActionHeartbeat").size();
        Thread.sleep(400);
        assertEquals(heartbeats, calls("RecordLifecycleActionHeartbeat").size(), "no heartbeat after the completion");
        assertEquals("CONTINUE", aws.autoScaling().lifecycleActionResult().orElseThrow());
    }

    @Test
    void drainByAnotherCauseCompletesNoLifecycleAction() throws Exception {
        startWatcher(Duration.ofMinutes(15));
        Thread.sleep(200);
        control.drain("shutdown signal", Duration.ofSeconds(30), ExitCodes.OK);
        control.finishDrain(REPORT);
        Thread.sleep(200);
        assertTrue(calls("CompleteLifecycleAction").isEmpty());
        assertTrue(calls("RecordLifecycleActionHeartbeat").isEmpty());
    }

    @Test
    void terminatedSeenAfterASignalDrainEndedStillCompletesTheAction() throws Exception {
        // docker stop came first (SIGTERM drain over), the instance is still in Terminating:Wait.
        startWatcher(Duration.ofMinutes(15));
        Thread.sleep(200);
        control.drain("shutdown signal", Duration.ofSeconds(30), ExitCodes.OK);
        control.finishDrain(REPORT);

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
        startWatcher(Duration.ofMinutes(15));
        Instant interruption = Instant.now().plus(LifecycleWatcher.SPOT_SAFETY_MARGIN).plusSeconds(60);
        aws.metadata().spotInterruption("terminate", interruption);

        assertTrue(TestWorkers.eventually(Duration.ofSeconds(5), () -> !control.drains().isEmpty()));
        FakeWorkerControl.Drain drain = control.drains().get(0);
        assertTrue(drain.reason().startsWith("spot interruption notice (terminate"), drain.reason());
        // whole seconds in the notice: up to 1 s less than asked, never more
        assertTrue(drain.budget().compareTo(Duration.ofSeconds(60)) <= 0
                && drain.budget().compareTo(Duration.ofSeconds(58)) >= 0, drain.budget().toString());
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
        Thread.sleep(300);
        assertEquals(1, control.metrics().counter("longshore_rebalance_recommendations_total").value());
        assertTrue(control.drains().isEmpty());
        assertTrue(control.metrics().prometheusText().contains("longshore_rebalance_recommendations_total 1"));
    }

    @Test
    void metadataAnsweringWithErrorsAtStartIsAskedAgainNotTakenForOffEc2() throws Exception {
        aws.metadata().serviceErrors(true);
        startWatcher(Duration.ofMinutes(15));
        Thread.sleep(300);
        assertTrue(!fleet.offEc2());
        aws.metadata().serviceErrors(false);
        aws.scaleIn();
        assertTrue(TestWorkers.eventually(Duration.ofSeconds(5), () -> !control.drains().isEmpty()));
    }

    @Test
    void watcherKeepsPollingAfterTheServiceRefusesItsTokens() throws Exception {
        startWatcher(Duration.ofMinutes(15));
        Thread.sleep(200);
        aws.metadata().invalidateTokens();
        Thread.sleep(200);
        aws.scaleIn();
        assertTrue(TestWorkers.eventually(Duration.ofSeconds(5), () -> !control.drains().isEmpty()));
        assertEquals(1, aws.metadata().unauthorized());
    }
}
