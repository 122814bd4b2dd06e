package dev.longshore.core.fleet;

import dev.longshore.core.testing.SleepWorkerMain;

import dev.longshore.testkit.WorkerProcess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.testkit.QueuePair;
import dev.longshore.testkit.SqsTap;
import dev.longshore.testkit.TestWorkers;
import dev.longshore.testkit.aws.AwsCall;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Worker processes on a simulated Auto Scaling instance: real SDK clients in a child JVM, pointed through the
 * standard variables at ElasticMQ and at fake instance metadata and Auto Scaling speaking the real protocols.
 */
class LifecycleScaleInTest extends FakeAwsWorkerProcessTest {
    private QueuePair queue;

    @BeforeEach
    void createQueue(TestInfo test) {
        queue = sqs.createQueueWithDeadLetter("scale-in-" + test.getTestMethod().orElseThrow().getName().hashCode()
                        % 100000 + "-" + System.nanoTime() % 100000, 5, Duration.ofSeconds(30));
    }

    private Map<String, String> environment(Map<String, String> extra) {
        Map<String, String> env = sqs.workerEnvironment(queue.queueUrl());
        env.putAll(aws.workerEnvironment());
        env.put("WORKER_LIFECYCLE_HOOK_NAME", aws.autoScaling().hookName());
        env.put("WORKER_LIFECYCLE_POLL_INTERVAL", "200ms");
        env.put("WORKER_LIFECYCLE_HEARTBEAT_INTERVAL", "1s");
        // ElasticMQ keeps serving a long poll the worker abandoned when it began draining: a message released
        // while that ghost poll waits is taken by it and stays invisible for a visibility timeout. Short polls
        // end before any release here, so the queue shows what the worker did.
        env.put("WORKER_RECEIVE_WAIT", "1s");
        env.putAll(extra);
        return env;
    }

    private void send(String body) {
        sqs.client().sendMessage(b -> b.queueUrl(queue.queueUrl()).messageBody(body));
    }

    /** [visible, in flight] messages of the work queue. */
    private int[] queueCounts() {
        Map<QueueAttributeName, String> a = sqs.client().getQueueAttributes(b -> b.queueUrl(queue.queueUrl())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return new int[] {Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
                Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))};
    }

    /** The queue as it is when CompleteLifecycleAction arrives, before the fake answers it. */
    private AtomicReference<int[]> queueAtCompletion() {
        AtomicReference<int[]> seen = new AtomicReference<>();
        aws.autoScaling().onCall(call -> {
            if (call.action().equals("CompleteLifecycleAction")) {
                seen.set(queueCounts());
            }
        });
        return seen;
    }

    private static int indexOf(String stdout, String text) {
        return stdout.indexOf(text);
    }

    @Test
    void terminatedWorkerHeartbeatsWhileDrainingAndCompletesHookOnlyAfterItsLastJob() throws Exception {
        AtomicReference<int[]> atCompletion = queueAtCompletion();
        for (int i = 1; i <= 3; i++) {
            send(SleepWorkerMain.job("job-" + i, 2500 + i * 200L));
        }
        worker = WorkerProcess.start(SleepWorkerMain.class, environment(Map.of()));
        assertTrue(worker.awaitCount("started", 3, Duration.ofSeconds(30)), worker::stdout);

        aws.scaleIn();

        assertEquals(0, worker.awaitExit(Duration.ofSeconds(30)), worker::stdout);
        List<AwsCall> heartbeats = aws.autoScaling().calls("RecordLifecycleActionHeartbeat");
        List<AwsCall> completions = aws.autoScaling().calls("CompleteLifecycleAction");
        assertEquals(1, completions.size(), worker::stdout);
        AwsCall complete = completions.get(0);
        assertEquals("CONTINUE", complete.param("LifecycleActionResult"));
        assertEquals("drain", complete.param("LifecycleHookName"));
        // WORKER_ASG_NAME is unset: the group came from DescribeAutoScalingInstances with the IMDS instance id.
        assertEquals(aws.autoScaling().groupName(), complete.param("AutoScalingGroupName"));
        assertEquals(aws.autoScaling().instanceId(), complete.param("InstanceId"));
        assertTrue(aws.autoScaling().calls("DescribeAutoScalingInstances").size() >= 1);
        assertTrue(heartbeats.size() >= 2, "heartbeats while ~3 s of jobs ran: " + heartbeats.size());
        for (AwsCall h : heartbeats) {
            assertEquals("drain", h.param("LifecycleHookName"));
            assertEquals(aws.autoScaling().instanceId(), h.param("InstanceId"));
            assertTrue(h.atNanos() < complete.atNanos(), "no heartbeat after the completion");
        }
        assertEquals("CONTINUE", aws.autoScaling().lifecycleActionResult().orElseThrow());

        String out = worker.stdout();
        int completing = indexOf(out, "completing lifecycle action");
        assertTrue(completing > 0, out);
        for (int i = 1; i <= 3; i++) {
            int finished = indexOf(out, "job job-" + i + " finished");
            assertTrue(finished > 0 && finished < completing, "job-" + i + " finished before the hook was completed\n" + out);
        }
        // Nothing lost, nothing repeated: every job finished and was deleted before the hook was completed.
        assertNotNull(atCompletion.get());
        assertEquals(0, atCompletion.get()[0], "visible at completion");
        assertEquals(0, atCompletion.get()[1], "in flight at completion");
        assertEquals(3, worker.lines("started").size());
    }

    @Test
    void drainPastItsDeadlineReleasesUnfinishedMessagesBeforeCompletingTheHook() throws Exception {
        AtomicReference<int[]> atCompletion = queueAtCompletion();
        send(SleepWorkerMain.job("long-1", 60_000));
        send(SleepWorkerMain.job("long-2", 60_000));
        worker = WorkerProcess.start(SleepWorkerMain.class,
                environment(Map.of("WORKER_LIFECYCLE_DRAIN_TIMEOUT", "2s")));
        assertTrue(worker.awaitCount("started", 2, Duration.ofSeconds(30)), worker::stdout);

        long terminated = System.nanoTime();
        aws.scaleIn();

        assertEquals(0, worker.awaitExit(Duration.ofSeconds(30)), worker::stdout);
        List<AwsCall> completions = aws.autoScaling().calls("CompleteLifecycleAction");
        assertEquals(1, completions.size());
        assertEquals("CONTINUE", completions.get(0).param("LifecycleActionResult"));
        long tookMillis = (completions.get(0).atNanos() - terminated) / 1_000_000;
        assertTrue(tookMillis >= 2000 && tookMillis < 15_000, "completed " + tookMillis + " ms after Terminated");
        // Both messages were back in the queue, visible, when the hook was completed.
        assertEquals("2 visible, 0 in flight", atCompletion.get()[0] + " visible, " + atCompletion.get()[1] + " in flight",
                worker::stdout);
        assertTrue(worker.lines("job long-1 finished").isEmpty() && worker.lines("job long-2 finished").isEmpty());
    }

    @Test
    void spotNoticeDrainsAtOnceWithinTheNoticeAndReleasesWhatCannotFinish() throws Exception {
        send(SleepWorkerMain.job("short", 2500));
        send(SleepWorkerMain.job("long", 120_000));
        worker = WorkerProcess.start(SleepWorkerMain.class, environment(Map.of()));
        assertTrue(worker.awaitCount("started", 2, Duration.ofSeconds(30)), worker::stdout);

        // Jobs may run until the safety margin before EC2 acts: here about 5 s.
        long noticed = System.nanoTime();
        Instant interruption = Instant.now().plus(LifecycleWatcher.SPOT_SAFETY_MARGIN).plusSeconds(5);
        aws.metadata().spotInterruption("terminate", interruption);

        assertEquals(0, worker.awaitExit(Duration.ofSeconds(40)), worker::stdout);
        long exitedAfter = (System.nanoTime() - noticed) / 1_000_000;
        assertTrue(exitedAfter >= 3500 && exitedAfter < 15_000, "exited " + exitedAfter + " ms after the notice");
        assertTrue(Instant.now().isBefore(interruption), "drained before the interruption");
        assertEquals(1, worker.lines("job short finished").size(), worker::stdout);
        assertTrue(worker.lines("job long finished").isEmpty());
        int[] counts = queueCounts();
        assertEquals("1 visible, 0 in flight", counts[0] + " visible, " + counts[1] + " in flight",
                () -> "the long job's message is back in the queue\n" + worker.stdout());
        assertTrue(aws.autoScaling().calls("CompleteLifecycleAction").isEmpty(), "no lifecycle action was open");
    }

    @Test
    void idleWorkerCompletesTheHookWithinAPollIntervalOfTerminated() throws Exception {
        long millis = measureIdleScaleIn("200ms");
        System.out.println("idle worker, poll 200ms: Terminated -> CompleteLifecycleAction " + millis + " ms");
        assertTrue(millis < 3000, millis + " ms");
    }

    @Test
    void idleWorkerWithTheDefaultPollIntervalCompletesTheHookWithinOnePollAndADrain() throws Exception {
        long millis = measureIdleScaleIn(null);
        System.out.println("idle worker, poll 5s (default): Terminated -> CompleteLifecycleAction " + millis + " ms");
        assertTrue(millis < 5000 + 3000, millis + " ms");
    }

    private long measureIdleScaleIn(String pollInterval) throws Exception {
        Map<String, String> env = environment(Map.of());
        if (pollInterval == null) {
            env.remove("WORKER_LIFECYCLE_POLL_INTERVAL");
        } else {
            env.put("WORKER_LIFECYCLE_POLL_INTERVAL", pollInterval);
        }
        try (SqsTap tap = SqsTap.inFrontOf(sqs)) {
            env.put("AWS_ENDPOINT_URL_SQS", tap.endpoint().toString());
            worker = WorkerProcess.start(SleepWorkerMain.class, env);
            assertNotNull(worker.awaitLine(l -> l.contains("lifecycle watcher on"), Duration.ofSeconds(30)), worker::stdout);
            assertNotNull(worker.awaitLine(l -> l.contains("target lifecycle state InService"), Duration.ofSeconds(30)));
            // Measured on a worker that is up (READY, long-polling), not one still warming up.
            assertNotNull(worker.awaitLine(l -> l.contains("-> READY"), Duration.ofSeconds(30)), worker::stdout);
            assertTrue(TestWorkers.eventually(Duration.ofSeconds(10), () -> tap.inFlight("ReceiveMessage") == 1),
                    "long-polling");
            long terminated = System.nanoTime();
            aws.scaleIn();
            assertEquals(0, worker.awaitExit(Duration.ofSeconds(30)), worker::stdout);
            List<AwsCall> completions = aws.autoScaling().calls("CompleteLifecycleAction");
            assertEquals(1, completions.size(), worker::stdout);
            return (completions.get(0).atNanos() - terminated) / 1_000_000;
        }
    }
}
