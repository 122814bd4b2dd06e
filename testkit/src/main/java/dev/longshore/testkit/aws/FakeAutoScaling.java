package dev.longshore.testkit.aws;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Auto Scaling's query API for one instance in one group with one termination lifecycle hook: the calls a
 * worker makes (DescribeAutoScalingInstances, RecordLifecycleActionHeartbeat, CompleteLifecycleAction,
 * SetInstanceProtection, SetInstanceHealth), validated as AWS does: a missing required parameter, a value outside its
 * set, a heartbeat or completion without a pending lifecycle action or with a wrong hook, group, instance or token
 * is a 400 ValidationError in the query protocol's error document; an unknown action is InvalidAction. Every call
 * is recorded, and {@link #failNext(String, int, int, String)} makes the next calls of an action fail.
 */
public final class FakeAutoScaling {
    public static final String API_VERSION = "2011-01-01";
    static final String NAMESPACE = "http://autoscaling.amazonaws.com/doc/2011-01-01/";
    private static final Set<String> ACTIONS = Set.of("DescribeAutoScalingInstances", "RecordLifecycleActionHeartbeat",
            "CompleteLifecycleAction", "SetInstanceProtection", "SetInstanceHealth");
    /** Each action's required parameters as the API reference lists them (a list counts when its first member is set). */
    private static final Map<String, List<String>> REQUIRED = Map.of(
            "DescribeAutoScalingInstances", List.of(),
            "RecordLifecycleActionHeartbeat", List.of("LifecycleHookName", "AutoScalingGroupName"),
            "CompleteLifecycleAction", List.of("LifecycleHookName", "AutoScalingGroupName", "LifecycleActionResult"),
            "SetInstanceProtection", List.of("InstanceIds", "AutoScalingGroupName", "ProtectedFromScaleIn"),
            "SetInstanceHealth", List.of("InstanceId", "HealthStatus"));

    private final String instanceId;
    private final String groupName;
    private final String hookName;
    private final List<AwsCall> calls = new CopyOnWriteArrayList<>();
    private final List<Consumer<AwsCall>> listeners = new CopyOnWriteArrayList<>();
    private final InjectedFailures failures = new InjectedFailures();
    private boolean actionPending;
    private String actionResult;
    private String actionToken;
    private boolean protectedFromScaleIn;
    private String health = "HEALTHY";

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
        actionToken = UUID.randomUUID().toString();
    }

    /** The LifecycleActionToken of the open action (what the hook's notification carries), if one is open. */
    public synchronized Optional<String> lifecycleActionToken() {
        return Optional.ofNullable(actionToken);
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
    public void failNext(String action, int status, String code) {
        failNext(action, 1, status, code);
    }

    /**
     * The next {@code times} calls of {@code action} ({@code "*"}: any action) fail with this HTTP status and
     * error code, e.g. {@code failNext("CompleteLifecycleAction", 2, 400, "Throttling")}; calls are recorded
     * all the same.
     */
    public void failNext(String action, int times, int status, String code) {
        failures.add(action, times, status, code);
    }

    /** Calls answered with an injected failure so far. */
    public int injectedFailures() {
        return failures.answered();
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
        Optional<InjectedFailures.Failure> failure = failures.take(action);
        if (failure.isPresent()) {
            Http.queryError(exchange, failure.get().status(), NAMESPACE, failure.get().code(), "injected failure");
            return;
        }
        if (!ACTIONS.contains(action)) {
            Http.queryError(exchange, 400, NAMESPACE, "InvalidAction",
                    "Could not find operation " + action + " for version " + API_VERSION);
            return;
        }
        String problem = Validation.missing(form, REQUIRED.get(action));
        String result = "";
        if (problem == null) {
            synchronized (this) {
                problem = switch (action) {
                    case "DescribeAutoScalingInstances" -> {
                        String p = checkDescribe(form);
                        result = p == null ? describe(form) : "";
                        yield p;
                    }
                    case "RecordLifecycleActionHeartbeat" -> checkAction(form);
                    case "CompleteLifecycleAction" -> {
                        String r = form.get("LifecycleActionResult");
                        String p = "CONTINUE".equals(r) || "ABANDON".equals(r) ? checkAction(form)
                                : "Value " + r + " at 'lifecycleActionResult' failed to satisfy constraint: Member must "
                                        + "be CONTINUE or ABANDON";
                        if (p == null) {
                            actionPending = false;
                            actionToken = null;
                            actionResult = r;
                        }
                        yield p;
                    }
                    case "SetInstanceProtection" -> {
                        String p = checkProtection(form);
                        if (p == null) {
                            protectedFromScaleIn = Boolean.parseBoolean(form.get("ProtectedFromScaleIn"));
                        }
                        yield p;
                    }
                    case "SetInstanceHealth" -> {
                        String status = form.get("HealthStatus");
                        if (!"Healthy".equals(status) && !"Unhealthy".equals(status)) {
                            yield "Value " + status + " at 'healthStatus' failed to satisfy constraint: Member must be "
                                    + "Healthy or Unhealthy";
                        }
                        String grace = form.get("ShouldRespectGracePeriod");
                        if (grace != null && !Validation.isBoolean(grace)) {
                            yield "Value " + grace + " at 'shouldRespectGracePeriod' is not a boolean";
                        }
                        if (!instanceId.equals(form.get("InstanceId"))) {
                            yield "Instance Id not found - No managed instance found for instance ID " + form.get("InstanceId");
                        }
                        health = status.toUpperCase(Locale.ROOT);
                        yield null;
                    }
                    default -> throw new IllegalStateException(action);
                };
            }
        }
        if (problem != null) {
            Http.queryError(exchange, 400, NAMESPACE, "ValidationError", problem);
            return;
        }
        Http.send(exchange, 200, "text/xml", "<" + action + "Response xmlns=\"" + NAMESPACE + "\"><" + action + "Result>"
                + result + "</" + action + "Result><ResponseMetadata><RequestId>" + UUID.randomUUID()
                + "</RequestId></ResponseMetadata></" + action + "Response>");
    }

    private String checkDescribe(Map<String, String> form) {
        String max = form.get("MaxRecords");
        if (max != null && (!max.matches("[0-9]{1,2}") || Integer.parseInt(max) < 1 || Integer.parseInt(max) > 50)) {
            return "Value " + max + " at 'maxRecords' failed to satisfy constraint: Member must be between 1 and 50";
        }
        if (form.containsKey("InstanceIds.member.51")) {
            return "The number of instance ids that may be passed in is limited to 50";
        }
        return null;
    }

    private String checkProtection(Map<String, String> form) {
        String value = form.get("ProtectedFromScaleIn");
        if (!Validation.isBoolean(value)) {
            return "Value " + value + " at 'protectedFromScaleIn' is not a boolean";
        }
        if (!groupName.equals(form.get("AutoScalingGroupName"))) {
            return "AutoScalingGroup name not found - " + form.get("AutoScalingGroupName");
        }
        for (int i = 1; form.containsKey("InstanceIds.member." + i); i++) {
            String instance = form.get("InstanceIds.member." + i);
            if (!instanceId.equals(instance)) {
                return "The instance " + instance + " is not part of Auto Scaling group " + groupName + ".";
            }
        }
        return null;
    }

    private String describe(Map<String, String> form) {
        // No InstanceIds: every instance of the account (the one this fake knows).
        if (form.containsKey("InstanceIds.member.1") && !Validation.members(form, "InstanceIds").contains(instanceId)) {
            return "<AutoScalingInstances/>";
        }
        return "<AutoScalingInstances><member><InstanceId>" + Http.xml(instanceId) + "</InstanceId>"
                + "<InstanceType>g5.xlarge</InstanceType><AutoScalingGroupName>" + Http.xml(groupName)
                + "</AutoScalingGroupName><AvailabilityZone>us-east-1a</AvailabilityZone><LifecycleState>"
                + (actionPending ? "Terminating:Wait" : "InService") + "</LifecycleState><HealthStatus>" + health
                + "</HealthStatus><ProtectedFromScaleIn>" + protectedFromScaleIn + "</ProtectedFromScaleIn>"
                + "</member></AutoScalingInstances>";
    }

    private String checkAction(Map<String, String> form) {
        if (!groupName.equals(form.get("AutoScalingGroupName"))) {
            return "AutoScalingGroup name not found - " + form.get("AutoScalingGroupName");
        }
        String instance = form.get("InstanceId");
        String token = form.get("LifecycleActionToken");
        if (instance == null && token == null) {
            return "Either an InstanceId or a LifecycleActionToken must be specified";
        }
        if (instance != null && !instanceId.equals(instance)) {
            return "The instance " + instance + " is not part of Auto Scaling group " + groupName + ".";
        }
        if (!hookName.equals(form.get("LifecycleHookName"))) {
            return "No Lifecycle Hook found with name " + form.get("LifecycleHookName");
        }
        if (!actionPending) {
            return "No active Lifecycle Action found with instance ID " + instanceId;
        }
        if (token != null && !token.equals(actionToken)) {
            return "No active Lifecycle Action found with token " + token;
        }
        return null;
    }
}
