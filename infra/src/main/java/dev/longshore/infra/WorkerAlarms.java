package dev.longshore.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.logs.FilterPattern;
import software.amazon.awscdk.services.logs.ILogGroup;
import software.amazon.awscdk.services.logs.MetricFilter;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * One worker's alarms, all to the stack's alarm topic (docs/deploy.md: Alarms and dashboard). The metrics are SQS's,
 * the worker's own (worker-core CloudWatchPublisher: WorkerState), the user data's (WorkerRestarts) and two counted
 * from the worker's log lines by metric filters (lifecycle action failures, GPU failures). Each alarm is named
 * {@code <group>-<id>}, e.g. {@code Longshore-video-RestartLoop}: scripts/lib/aws.sh names the RestartLoop and Paused
 * alarms in an instance refresh without reading the stack (docs/deploy.md: Releases).
 */
final class WorkerAlarms extends Construct {
    /** Metric the user data publishes once per container restart (docs/deploy.md: Alarms and dashboard). */
    static final String RESTART_METRIC = "WorkerRestarts";
    /** Three restarts in 15 minutes: a container that keeps failing, not one GPU reset or one bad message. */
    static final int RESTARTS_IN_WINDOW = 3;
    static final Duration RESTART_WINDOW = Duration.minutes(15);
    /** A worker paused this long (gate closed: GPU unusable) is not coming back by itself. */
    static final int PAUSED_PERIODS = 3;
    static final Duration PERIOD = Duration.minutes(5);
    /**
     * Log lines of worker-core's LifecycleAction (logger LifecycleWatcher) when a lifecycle action cannot be completed
     * or kept alive.
     */
    static final List<String> LIFECYCLE_FAILURE_LINES = List.of("CompleteLifecycleAction failed",
            "cannot complete lifecycle action", "RecordLifecycleActionHeartbeat failed");
    /** Log lines of the AI worker when a GPU fails (GpuHealth) and the instance asks to be replaced (InstanceHealth). */
    static final List<String> GPU_FAILURE_LINES = List.of("GPU failure on", "declaring this instance unhealthy");

    private final String group;
    final Alarm deadLetters;
    final Alarm oldestMessage;
    final Alarm restartLoop;
    final Alarm paused;
    final Alarm lifecycleFailures;
    /** Only for the AI worker. */
    final Alarm gpuFailures;

    WorkerAlarms(Construct scope, String id, ITopic topic, FleetSpec fleet, WorkerSpec worker, IQueue queue,
                 IQueue deadLetterQueue, ILogGroup logs) {
        super(scope, id);
        group = fleet.autoScalingGroupName(worker);
        String ns = fleet.metricsNamespace();
        List<Alarm> all = new ArrayList<>();

        deadLetters = alarm("DeadLetters", all, deadLetterQueue.metricApproximateNumberOfMessagesVisible(
                        MetricOptions.builder().statistic("Maximum").period(Duration.minutes(1)).build()),
                ComparisonOperator.GREATER_THAN_THRESHOLD, 0, 1,
                group + ": messages in the dead-letter queue; read their longshore.error/longshore.reason attributes");
        oldestMessage = alarm("OldestMessage", all, queue.metricApproximateAgeOfOldestMessage(
                        MetricOptions.builder().statistic("Maximum").period(PERIOD).build()),
                ComparisonOperator.GREATER_THAN_THRESHOLD, worker.alarms().maxMessageAge().toSeconds(), 1,
                group + ": a message has waited longer than " + Settings.format(worker.alarms().maxMessageAge())
                        + " (" + worker.name() + ".maxMessageAge): the group is at its max, or not taking work");
        restartLoop = alarm("RestartLoop", all, Metric.Builder.create()
                        .namespace(ns).metricName(RESTART_METRIC)
                        .dimensionsMap(Ordered.map("AutoScalingGroupName", group))
                        .statistic("Sum").period(RESTART_WINDOW).build(),
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, RESTARTS_IN_WINDOW, 1,
                group + ": worker containers restarted " + RESTARTS_IN_WINDOW + " or more times in 15 minutes "
                        + "(a bad image or configuration; stream <instance-id>/worker)");
        paused = alarm("Paused", all, Metric.Builder.create()
                        .namespace(ns).metricName("WorkerState")
                        .dimensionsMap(Ordered.map("AutoScalingGroupName", group, "WorkerName", worker.name(),
                                "State", "PAUSED"))
                        .statistic("Maximum").period(PERIOD).build(),
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 1, PAUSED_PERIODS,
                group + ": a worker has been PAUSED (not receiving) for 15 minutes"
                        + ("ai".equals(worker.name()) ? ": its GPU is lost or not usable" : ""));
        lifecycleFailures = alarm("LifecycleActionFailures", all,
                logCount("LifecycleActionFailures", logs, ns, "LifecycleActionFailures/" + group,
                        LIFECYCLE_FAILURE_LINES),
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 1, 1,
                group + ": a lifecycle action was not completed or heartbeats failed: the hook's heartbeat "
                        + "timeout then decides (jobs may have been cut short)");
        gpuFailures = "ai".equals(worker.name())
                ? alarm("GpuFailures", all, logCount("GpuFailures", logs, ns, "GpuFailures/" + group,
                        GPU_FAILURE_LINES),
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 1, 1,
                group + ": a GPU failed (lost, fatal Xid); the instance asked to be replaced")
                : null;
        SnsAction action = new SnsAction(topic);
        for (Alarm alarm : all) {
            alarm.addAlarmAction(action);
            alarm.addOkAction(action);
        }
    }

    private Alarm alarm(String id, List<Alarm> all, IMetric metric, ComparisonOperator operator, double threshold,
                        int periods, String description) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .metric(metric)
                .comparisonOperator(operator)
                .threshold(threshold)
                .evaluationPeriods(periods)
                .datapointsToAlarm(periods)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .alarmDescription(description)
                .alarmName(group + "-" + id)
                .build();
        all.add(alarm);
        return alarm;
    }

    /**
     * Counts log lines holding any of the terms. Metric filters on unstructured lines take no dimensions, so the
     * group's name is part of the metric name.
     */
    private Metric logCount(String id, ILogGroup logs, String namespace, String metricName, List<String> terms) {
        MetricFilter filter = MetricFilter.Builder.create(this, id + "Filter")
                .logGroup(logs)
                .filterPattern(FilterPattern.anyTerm(terms.toArray(String[]::new)))
                .metricNamespace(namespace)
                .metricName(metricName)
                .metricValue("1")
                .defaultValue(0)
                .build();
        return filter.metric(MetricOptions.builder().statistic("Sum").period(PERIOD).build());
    }
}
