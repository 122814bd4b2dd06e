package dev.longshore.testkit.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;

/** The fake refuses what Auto Scaling refuses, in the error document the SDK parses. */
class FakeAutoScalingTest {
    private FakeAws aws;
    private AutoScalingClient client;
    private AutoScalingClient noRetries;
    private String instance;
    private String group;
    private String hook;

    @BeforeEach
    void setUp() {
        aws = FakeAws.start();
        client = client(RetryMode.STANDARD);
        noRetries = client(null);
        instance = aws.autoScaling().instanceId();
        group = aws.autoScaling().groupName();
        hook = aws.autoScaling().hookName();
    }

    @AfterEach
    void tearDown() {
        client.close();
        noRetries.close();
        aws.close();
    }

    private AutoScalingClient client(RetryMode mode) {
        return aws.configure(AutoScalingClient.builder())
                .overrideConfiguration(o -> {
                    if (mode == null) {
                        o.retryStrategy(b -> b.maxAttempts(1));
                    } else {
                        o.retryStrategy(mode);
                    }
                })
                .build();
    }

    private static AutoScalingException refused(Runnable call) {
        return assertThrows(AutoScalingException.class, call::run);
    }

    private static void assertValidationError(AutoScalingException e, String inMessage) {
        assertEquals(400, e.statusCode());
        assertEquals("ValidationError", e.awsErrorDetails().errorCode(), e.getMessage());
        assertTrue(e.awsErrorDetails().errorMessage().contains(inMessage), e.awsErrorDetails().errorMessage());
    }

    @Test
    void setInstanceProtectionWithoutProtectedFromScaleInIsAValidationErrorAndChangesNothing() {
        aws.autoScaling().setProtectedFromScaleIn(true);
        assertValidationError(refused(() -> client.setInstanceProtection(b -> b.autoScalingGroupName(group)
                .instanceIds(instance))), "'protectedFromScaleIn' failed to satisfy constraint: Member must not be null");
        assertTrue(aws.autoScaling().isProtectedFromScaleIn(), "still protected");

        assertValidationError(refused(() -> client.setInstanceProtection(b -> b.autoScalingGroupName(group)
                .protectedFromScaleIn(false))), "'instanceIds'");
        assertValidationError(refused(() -> client.setInstanceProtection(b -> b.instanceIds(instance)
                .protectedFromScaleIn(false))), "'autoScalingGroupName'");
        assertValidationError(refused(() -> client.setInstanceProtection(b -> b.autoScalingGroupName(group)
                .instanceIds(instance, "i-0000000000000000f").protectedFromScaleIn(false))), "is not part of");
        assertTrue(aws.autoScaling().isProtectedFromScaleIn());

        client.setInstanceProtection(b -> b.autoScalingGroupName(group).instanceIds(instance).protectedFromScaleIn(false));
        assertFalse(aws.autoScaling().isProtectedFromScaleIn());
    }

    @Test
    void completeLifecycleActionNeedsHookGroupResultAndInstanceOrToken() {
        aws.autoScaling().openLifecycleAction();
        assertValidationError(refused(() -> client.completeLifecycleAction(b -> b.autoScalingGroupName(group)
                .instanceId(instance).lifecycleActionResult("CONTINUE"))), "'lifecycleHookName'");
        assertValidationError(refused(() -> client.completeLifecycleAction(b -> b.lifecycleHookName(hook)
                .instanceId(instance).lifecycleActionResult("CONTINUE"))), "'autoScalingGroupName'");
        assertValidationError(refused(() -> client.completeLifecycleAction(b -> b.lifecycleHookName(hook)
                .autoScalingGroupName(group).instanceId(instance))), "'lifecycleActionResult'");
        assertValidationError(refused(() -> client.completeLifecycleAction(b -> b.lifecycleHookName(hook)
                .autoScalingGroupName(group).lifecycleActionResult("CONTINUE"))), "InstanceId or a LifecycleActionToken");
        assertValidationError(refused(() -> client.completeLifecycleAction(b -> b.lifecycleHookName(hook)
                .autoScalingGroupName(group).instanceId(instance).lifecycleActionResult("PROCEED"))), "CONTINUE or ABANDON");
        assertValidationError(refused(() -> client.completeLifecycleAction(b -> b.lifecycleHookName(hook)
                .autoScalingGroupName(group).lifecycleActionToken("not-the-token").lifecycleActionResult("CONTINUE"))),
                "No active Lifecycle Action found with token");
        assertTrue(aws.autoScaling().lifecycleActionResult().isEmpty(), "nothing completed by a refused call");

        String token = aws.autoScaling().lifecycleActionToken().orElseThrow();
        client.completeLifecycleAction(b -> b.lifecycleHookName(hook).autoScalingGroupName(group)
                .lifecycleActionToken(token).lifecycleActionResult("ABANDON"));
        assertEquals("ABANDON", aws.autoScaling().lifecycleActionResult().orElseThrow());
        assertValidationError(refused(() -> client.completeLifecycleAction(b -> b.lifecycleHookName(hook)
                .autoScalingGroupName(group).instanceId(instance).lifecycleActionResult("CONTINUE"))),
                "No active Lifecycle Action");
    }

    @Test
    void heartbeatNeedsHookGroupAndInstanceOrTokenOfAnOpenAction() {
        assertValidationError(refused(() -> client.recordLifecycleActionHeartbeat(b -> b.lifecycleHookName(hook)
                .autoScalingGroupName(group).instanceId(instance))), "No active Lifecycle Action");
        aws.autoScaling().openLifecycleAction();
        assertValidationError(refused(() -> client.recordLifecycleActionHeartbeat(b -> b.autoScalingGroupName(group)
                .instanceId(instance))), "'lifecycleHookName'");
        assertValidationError(refused(() -> client.recordLifecycleActionHeartbeat(b -> b.lifecycleHookName(hook)
                .instanceId(instance))), "'autoScalingGroupName'");
        assertValidationError(refused(() -> client.recordLifecycleActionHeartbeat(b -> b.lifecycleHookName(hook)
                .autoScalingGroupName(group))), "InstanceId or a LifecycleActionToken");
        assertValidationError(refused(() -> client.recordLifecycleActionHeartbeat(b -> b.lifecycleHookName("other")
                .autoScalingGroupName(group).instanceId(instance))), "No Lifecycle Hook found");
        client.recordLifecycleActionHeartbeat(b -> b.lifecycleHookName(hook).autoScalingGroupName(group)
                .lifecycleActionToken(aws.autoScaling().lifecycleActionToken().orElseThrow()));
    }

    @Test
    void setInstanceHealthNeedsInstanceAndHealthyOrUnhealthy() {
        assertValidationError(refused(() -> client.setInstanceHealth(b -> b.healthStatus("Unhealthy"))), "'instanceId'");
        assertValidationError(refused(() -> client.setInstanceHealth(b -> b.instanceId(instance))), "'healthStatus'");
        assertValidationError(refused(() -> client.setInstanceHealth(b -> b.instanceId(instance).healthStatus("UNHEALTHY"))),
                "Healthy or Unhealthy");
        assertValidationError(refused(() -> client.setInstanceHealth(b -> b.instanceId("i-0000000000000000f")
                .healthStatus("Unhealthy"))), "No managed instance");
        assertEquals("HEALTHY", aws.autoScaling().healthStatus());
        client.setInstanceHealth(b -> b.instanceId(instance).healthStatus("Unhealthy").shouldRespectGracePeriod(false));
        assertEquals("UNHEALTHY", aws.autoScaling().healthStatus());
    }

    @Test
    void describeWithoutInstanceIdsListsTheInstanceAndRefusesMaxRecordsOverFifty() {
        assertEquals(instance, client.describeAutoScalingInstances(b -> { }).autoScalingInstances().get(0).instanceId());
        assertTrue(client.describeAutoScalingInstances(b -> b.instanceIds("i-0000000000000000f")).autoScalingInstances().isEmpty());
        assertValidationError(refused(() -> client.describeAutoScalingInstances(b -> b.maxRecords(51))), "'maxRecords'");
    }

    @Test
    void errorsUseTheQueryProtocolDocument() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(aws.endpoint() + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("Action=SetInstanceProtection&Version=2011-01-01"
                        + "&AutoScalingGroupName=" + group + "&InstanceIds.member.1=" + instance)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        assertTrue(r.body().matches("<ErrorResponse xmlns=\"[^\"]+\"><Error><Type>Sender</Type><Code>ValidationError</Code>"
                + "<Message>[^<]+</Message></Error><RequestId>[0-9a-f-]{36}</RequestId></ErrorResponse>"), r.body());

        HttpResponse<String> unknown = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(aws.endpoint() + "/"))
                .POST(HttpRequest.BodyPublishers.ofString("Action=DetachInstances&Version=2011-01-01")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.body().contains("<Code>InvalidAction</Code>"), unknown.body());
    }

    @Test
    void injectedThrottlingIsRetriedBySdkAndInjectedServerErrorsRunOutItsAttempts() {
        Consumer<software.amazon.awssdk.services.autoscaling.model.SetInstanceHealthRequest.Builder> unhealthy =
                b -> b.instanceId(instance).healthStatus("Unhealthy");
        aws.autoScaling().failNext("SetInstanceHealth", 2, 400, "Throttling");
        client.setInstanceHealth(unhealthy);
        assertEquals(3, aws.autoScaling().calls("SetInstanceHealth").size(), "two throttled, the third answered");
        assertEquals(2, aws.autoScaling().injectedFailures());

        aws.autoScaling().failNext("*", 5, 500, "InternalFailure");
        AutoScalingException e = refused(() -> noRetries.setInstanceHealth(unhealthy));
        assertEquals(500, e.statusCode());
        assertEquals("InternalFailure", e.awsErrorDetails().errorCode());
        e = refused(() -> client.setInstanceHealth(unhealthy));
        assertEquals("InternalFailure", e.awsErrorDetails().errorCode());
        assertEquals(2 + 1 + 3, aws.autoScaling().injectedFailures(), "the standard retry mode makes three attempts");
    }
}
