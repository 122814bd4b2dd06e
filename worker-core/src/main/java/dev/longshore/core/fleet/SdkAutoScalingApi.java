package dev.longshore.core.fleet;

import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingInstanceDetails;

/** {@link AutoScalingApi} on the SDK client, which is built on the first call. */
final class SdkAutoScalingApi implements AutoScalingApi {
    private final Supplier<AutoScalingClient> client;

    SdkAutoScalingApi(Supplier<AutoScalingClient> client) {
        this.client = client;
    }

    @Override
    public void recordLifecycleActionHeartbeat(String hookName, String groupName, String instanceId) {
        client.get().recordLifecycleActionHeartbeat(b -> b.lifecycleHookName(hookName).autoScalingGroupName(groupName)
                .instanceId(instanceId));
    }

    @Override
    public void completeLifecycleAction(String hookName, String groupName, String instanceId, String result) {
        client.get().completeLifecycleAction(b -> b.lifecycleHookName(hookName).autoScalingGroupName(groupName)
                .instanceId(instanceId).lifecycleActionResult(result));
    }

    @Override
    public Optional<String> groupOf(String instanceId) {
        return client.get().describeAutoScalingInstances(b -> b.instanceIds(instanceId)).autoScalingInstances()
                .stream()
                .filter(i -> instanceId.equals(i.instanceId()))
                .map(AutoScalingInstanceDetails::autoScalingGroupName)
                .findFirst();
    }

    @Override
    public void setInstanceProtection(String groupName, String instanceId, boolean protectedFromScaleIn) {
        client.get().setInstanceProtection(b -> b.autoScalingGroupName(groupName).instanceIds(instanceId)
                .protectedFromScaleIn(protectedFromScaleIn));
    }

    @Override
    public void setUnhealthy(String instanceId) {
        client.get().setInstanceHealth(b -> b.instanceId(instanceId).healthStatus("Unhealthy")
                .shouldRespectGracePeriod(false));
    }
}
