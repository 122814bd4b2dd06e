package dev.longshore.local.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.QueuePair;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.LifecycleState;

/** scripts/status against the embedded SQS: the depths, and the fleet part with and without Auto Scaling. */
class StatusTest {
    private static EmbeddedSqs sqs;
    private static QueuePair queues;

    @BeforeAll
    static void start() {
        sqs = EmbeddedSqs.start();
        queues = sqs.createQueueWithDeadLetter("longshore-statusw", 5, Duration.ofSeconds(30));
        for (int i = 0; i < 5; i++) {
            sqs.client().sendMessage(b -> b.queueUrl(queues.queueUrl()).messageBody("job"));
        }
        sqs.client().sendMessage(b -> b.queueUrl(queues.queueUrl()).messageBody("later").delaySeconds(600));
        // two in flight
        sqs.client().receiveMessage(b -> b.queueUrl(queues.queueUrl()).maxNumberOfMessages(2).visibilityTimeout(600));
        for (int i = 0; i < 3; i++) {
            sqs.client().sendMessage(b -> b.queueUrl(queues.deadLetterQueueUrl()).messageBody("dead"));
        }
    }

    @AfterAll
    static void stop() {
        sqs.close();
    }

    private static String run(StatusMain.Groups groups, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = StatusMain.run(args, sqs.client(), groups, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(0, code);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsVisibleInFlightDelayedAndDeadLetterDepths() {
        String o = run(null, "statusw");
        assertTrue(o.matches("(?s).*statusw +longshore-statusw +3 +2 +1 +3  \\(scripts/redrive statusw --show\\).*"), o);
        assertTrue(o.contains("fleet: not shown; the queues are a local SQS"), o);
    }

    @Test
    void withoutNamedWorkersTheStandardOnesAreListedAndMissingOnesSaidSo() {
        String o = run(null);
        assertTrue(o.matches("(?s).*messaging +no queue.*"), o);
        assertTrue(o.contains("no worker queue found"), o);
    }

    @Test
    void whereAutoScalingAnswersTheGroupAndEachInstanceLifecycleStateAreShown() {
        AutoScalingGroup g = AutoScalingGroup.builder().autoScalingGroupName("Longshore-statusw").desiredCapacity(2)
                .minSize(0).maxSize(5).instances(
                        Instance.builder().instanceId("i-0a").lifecycleState(LifecycleState.IN_SERVICE)
                                .healthStatus("Healthy").availabilityZone("us-east-1a").protectedFromScaleIn(true).build(),
                        Instance.builder().instanceId("i-0b").lifecycleState(LifecycleState.TERMINATING_WAIT)
                                .healthStatus("Healthy").availabilityZone("us-east-1b").protectedFromScaleIn(false).build())
                .build();
        String o = run(names -> {
            assertEquals(List.of("Longshore-statusw"), names);
            return List.of(g);
        }, "statusw");
        assertTrue(o.contains("group Longshore-statusw: desired 2 (min 0, max 5), 1 InService of 2"), o);
        assertTrue(o.matches("(?s).*i-0a +InService +Healthy +us-east-1a  protected from scale-in.*"), o);
        assertTrue(o.matches("(?s).*i-0b +Terminating:Wait .*"), o);
    }
}
