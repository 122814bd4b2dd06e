package dev.longshore.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.HorizontalAnnotation;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.constructs.Construct;

/**
 * One dashboard for the stack (docs/deploy.md: Alarms and dashboard): a row per worker with work per instance
 * against its target, InService instances, jobs in flight, outcomes per minute and dead-letter depth.
 */
final class FleetDashboard {
    static final Duration PERIOD = Duration.minutes(1);
    static final int HEIGHT = 6;

    private FleetDashboard() {
    }

    static Dashboard create(Construct scope, FleetSpec fleet, List<WorkerFleet> workers) {
        List<List<IWidget>> rows = new ArrayList<>();
        for (WorkerFleet w : workers) {
            rows.add(List.of(TextWidget.Builder.create().markdown("## " + w.worker.name() + " (" + w.groupName + ")")
                    .width(24).height(1).build()));
            rows.add(row(fleet, w));
        }
        return Dashboard.Builder.create(scope, "Dashboard")
                .dashboardName(fleet.stackName())
                .widgets(rows)
                .build();
    }

    private static List<IWidget> row(FleetSpec fleet, WorkerFleet w) {
        String ns = fleet.metricsNamespace();
        Map<String, String> groupDims = Ordered.map("AutoScalingGroupName", w.groupName);
        Metric inService = Metric.Builder.create().namespace("AWS/AutoScaling").metricName("GroupInServiceInstances")
                .dimensionsMap(groupDims).statistic("Average").period(PERIOD).label("InService").build();
        MathExpression work = MathExpression.Builder.create()
                .expression(QueueDepthScaling.WORK_EXPRESSION)
                .usingMetrics(Ordered.map(
                        "m1", w.queue.metricApproximateNumberOfMessagesVisible(sum()),
                        "m2", w.queue.metricApproximateNumberOfMessagesNotVisible(sum()),
                        "m3", inService))
                .label("work per instance")
                .period(PERIOD)
                .build();
        Map<String, String> workerDims = Ordered.map("AutoScalingGroupName", w.groupName, "WorkerName", w.worker.name());
        List<IMetric> outcomes = new ArrayList<>();
        for (String outcome : List.of("success", "retry", "dead")) {
            outcomes.add(Metric.Builder.create().namespace(ns).metricName("MessagesProcessed")
                    .dimensionsMap(Ordered.map("AutoScalingGroupName", w.groupName, "WorkerName", w.worker.name(),
                            "Outcome", outcome))
                    .statistic("Sum").period(PERIOD).label(outcome).build());
        }
        return List.of(
                graph("Work per instance and target", List.of(work), List.of(HorizontalAnnotation.builder()
                        .value(w.worker.scaling().target()).label("target").build())),
                graph("Instances", List.of(inService, Metric.Builder.create().namespace("AWS/AutoScaling")
                        .metricName("GroupDesiredCapacity").dimensionsMap(groupDims).statistic("Average")
                        .period(PERIOD).label("desired").build()), List.of()),
                graph("Jobs in flight", List.of(Metric.Builder.create().namespace(ns).metricName("InflightMessages")
                        .dimensionsMap(workerDims).statistic("Sum").period(PERIOD).label("in flight (workers)")
                        .build(), w.queue.metricApproximateNumberOfMessagesNotVisible(
                        MetricOptions.builder().statistic("Sum").period(PERIOD).label("not visible (SQS)").build()),
                        w.queue.metricApproximateNumberOfMessagesVisible(MetricOptions.builder().statistic("Sum")
                                .period(PERIOD).label("waiting (SQS)").build())), List.of()),
                graph("Outcomes per minute", outcomes, List.of()),
                graph("Dead-letter queue", List.of(w.deadLetterQueue.metricApproximateNumberOfMessagesVisible(
                        MetricOptions.builder().statistic("Maximum").period(PERIOD).label("dead letters").build())),
                        List.of()));
    }

    private static MetricOptions sum() {
        return MetricOptions.builder().statistic("Sum").period(PERIOD).build();
    }

    private static GraphWidget graph(String title, List<IMetric> left, List<HorizontalAnnotation> annotations) {
        return GraphWidget.Builder.create()
                .title(title)
                .left(left)
                .leftAnnotations(annotations)
                .width(title.startsWith("Dead") ? 4 : 5)
                .height(HEIGHT)
                .build();
    }
}
