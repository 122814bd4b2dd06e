package dev.longshore.testkit.aws;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Auto Scaling's query API for one instance in one group with one termination lifecycle hook: the calls a
 * worker makes (DescribeAutoScalingInstances, RecordLifecycleActionHeartbeat, CompleteLifecycleAction,
 * SetInstanceProtection, SetInstanceHealth), validated as AWS does (a heartbeat or completion without a pending
 * lifecycle action, or with a wrong hook, group or instance, is a ValidationError), every call recorded.
 */
public final class FakeAutoScaling {
    public static final String API_VERSION = "2011-01-01";
    static final String NAMESPACE = "http://autoscaling.amazonaws.com/doc/2011-01-01/";

    private final String instanceId;
    private final String groupName;
    private final String hookName;
    private final List<AwsCall> calls = new CopyOnWriteArrayList<>();
    private final List<Consumer<AwsCall>> listeners = new CopyOnWriteArrayList<>();
    private final List<Failure> failures = new ArrayList<>();
    private boolean actionPending;
    private String actionResult;
    private boolean protectedFromScaleIn;
    private String health = "HEALTHY";

    private record Failure(String action, int status, String code) {
    }

    FakeAutoScaling(String instanceId, String groupName, String hookName) {
        this.instanceId = instanceId;
        this.groupName = groupName;
        this.hookName = hookName;
    }

    public String instanceId() {
        return instanceId;
    }

    public String groupName() {
        return groupName;
    }

    public String hookName() {
        return hookName;
    }

    /** The instance entered Terminating:Wait: heartbeats and one completion are now accepted. */
    public synchronized void openLifecycleAction() {
        actionPending = true;
        actionResult = null;
    }

    /** CONTINUE or ABANDON once the worker completed the action. */
    public synchronized Optional<String> lifecycleActionResult() {
        return Optional.ofNullable(actionResult);
    }

    /** As a group with NewInstancesProtectedFromScaleIn would have set it at launch. */
    public synchronized void setProtectedFromScaleIn(boolean value) {
        protectedFromScaleIn = value;
    }

    public synchronized boolean isProtectedFromScaleIn() {
        return protectedFromScaleIn;
    }

    public synchronized String healthStatus() {
        return health;
    }

    /** The next call of {@code action} fails with this HTTP status and error code (Throttling, InternalFailure). */
    public synchronized void failNext(String action, int status, String code) {
        failures.add(new Failure(action, status, code));
    }

    /** Runs {@code listener} for every call as it arrives, before it is answered. */
    public void onCall(Consumer<AwsCall> listener) {
        listeners.add(listener);
    }

    public List<AwsCall> calls() {
        return List.copyOf(calls);
    }

    public List<AwsCall> calls(String action) {
        return calls.stream().filter(c -> c.action().equals(action)).toList();
    }

    void handle(HttpExchange exchange, Map<String, String> form) throws IOException {
        String action = form.getOrDefault("Action", "");
        AwsCall call = new AwsCall("autoscaling", action, form, System.nanoTime());
        calls.add(call);
        for (Consumer<AwsCall> listener : listeners) {
            listener.accept(call);
        }
        Failure failure = takeFailure(action);
        if (failure != null) {
            Http.queryError(exchange, failure.status(), NAMESPACE, failure.code(), "injected failure");
            return;
        }
        String problem;
        String result = "";
        synchronized (this) {
            problem = switch (action) {
                case "DescribeAutoScalingInstances" -> {
                    result = describe(form);
                    yield null;
                }
                case "RecordLifecycleActionHeartbeat" -> checkAction(form);
                case "CompleteLifecycleAction" -> {
                    String p = checkAction(form);
                    String r = form.get("LifecycleActionResult");
                    if (p == null && !"CONTINUE".equals(r) && !"ABANDON".equals(r)) {
                        p = "LifecycleActionResult must be CONTINUE or ABANDON";
                    }
                    if (p == null) {
                        actionPending = false;
                        actionResult = r;
                    }
                    yield p;
                }
                case "SetInstanceProtection" -> {
                    String p = checkGroup(form, form.get("InstanceIds.member.1"));
                    if (p == null) {
                        protectedFromScaleIn = Boolean.parseBoolean(form.get("ProtectedFromScaleIn"));
                    }
                    yield p;
                }
                case "SetInstanceHealth" -> {
                    String status = form.get("HealthStatus");
                    if (!instanceId.equals(form.get("InstanceId"))) {
                        yield "Instance Id not found - No managed instance found for instance ID " + form.get("InstanceId");
                    }
                    if (!"Healthy".equals(status) && !"Unhealthy".equals(status)) {
                        yield "HealthStatus must be Healthy or Unhealthy";
                    }
                    health = status.toUpperCase(java.util.Locale.ROOT);
                    yield null;
                }
                default -> "unsupported action " + action;
            };
        }
        if (problem != null) {
            Http.queryError(exchange, 400, NAMESPACE, "ValidationError", problem);
            return;
        }
        Http.send(exchange, 200, "text/xml", "<" + action + "Response xmlns=\"" + NAMESPACE + "\"><" + action + "Result>"
                + result + "</" + action + "Result><ResponseMetadata><RequestId>" + java.util.UUID.randomUUID()
                + "</RequestId></ResponseMetadata></" + action + "Response>");
    }

    private synchronized Failure takeFailure(String action) {
        for (int i = 0; i < failures.size(); i++) {
            if (failures.get(i).action().equals(action)) {
                return failures.remove(i);
            }
        }
        return null;
    }

    private String describe(Map<String, String> form) {
        if (!instanceId.equals(form.get("InstanceIds.member.1"))) {
            return "<AutoScalingInstances/>";
        }
        return "<AutoScalingInstances><member><InstanceId>" + Http.xml(instanceId) + "</InstanceId>"
                + "<InstanceType>g5.xlarge</InstanceType><AutoScalingGroupName>" + Http.xml(groupName)
                + "</AutoScalingGroupName><AvailabilityZone>us-east-1a</AvailabilityZone><LifecycleState>"
                + (actionPending ? "Terminating:Wait" : "InService") + "</LifecycleState><HealthStatus>" + health
                + "</HealthStatus><ProtectedFromScaleIn>" + protectedFromScaleIn + "</ProtectedFromScaleIn>"
                + "</member></AutoScalingInstances>";
    }

    private String checkGroup(Map<String, String> form, String instance) {
        if (!groupName.equals(form.get("AutoScalingGroupName"))) {
            return "AutoScalingGroup name not found - " + form.get("AutoScalingGroupName");
        }
        if (!instanceId.equals(instance)) {
            return "The instance " + instance + " is not part of Auto Scaling group " + groupName + ".";
        }
        return null;
    }

    private String checkAction(Map<String, String> form) {
        String p = checkGroup(form, form.get("InstanceId"));
        if (p != null) {
            return p;
        }
        if (!hookName.equals(form.get("LifecycleHookName"))) {
            return "No Lifecycle Hook found with name " + form.get("LifecycleHookName");
        }
        if (!actionPending) {
            return "No active Lifecycle Action found with instance ID " + instanceId;
        }
        return null;
    }
}
