package dev.longshore.core.fleet;

import java.util.Optional;

/**
 * The subset of the Auto Scaling API the worker calls, so fakes stay small. Failures surface as the SDK's
 * runtime exceptions.
 */
interface AutoScalingApi {

    void recordLifecycleActionHeartbeat(String hookName, String groupName, String instanceId);

    /** @param result {@code CONTINUE} or {@code ABANDON} */
    void completeLifecycleAction(String hookName, String groupName, String instanceId, String result);

    /** The group the instance belongs to, empty when it belongs to none. */
    Optional<String> groupOf(String instanceId);

    void setInstanceProtection(String groupName, String instanceId, boolean protectedFromScaleIn);

    /** Marks the instance Unhealthy at once (grace period not respected), so the group replaces it. */
    void setUnhealthy(String instanceId);
}
