package dev.longshore.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.autoscaling.CfnScalingPolicy;
import software.amazon.awscdk.services.cloudwatch.AlarmActionConfig;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.CreateAlarmOptions;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.constructs.Construct;

/**
 * Scaling on queue depth (docs/deploy.md: Choosing the target): target tracking on work per instance, computed with
 * metric math as (visible + in-flight messages) / InService instances, plus, for groups that may sit at zero, a step
 * policy that adds the first instance: with no instance the division has no data point and target tracking cannot
 * leave zero.
 *
 * <p>In-flight (not visible) messages count: with visible messages alone, a steady load that the fleet keeps up with
 * shows a backlog of 0, and target tracking would scale in instances that are busy.
 */
final class QueueDepthScaling extends Construct {
    static final String WORK_EXPRESSION = "(m1 + m2) / m3";
    /**
     * Visible messages while the group wants no instance, else 0. Desired (not InService) capacity, so the policy
     * stops adding once an instance is on its way; FILL covers a minute whose group metric has not arrived yet.
     */
    static final String ZERO_TO_ONE_EXPRESSION = "IF(FILL(m2, 0) < 1, m1, 0)";
    private static final Duration PERIOD = Duration.minutes(1);

    QueueDepthScaling(Construct scope, String id, String autoScalingGroupName, String queueName, double target,
                      boolean scalesFromZero) {
        super(scope, id);
        // L1: the L2 target-tracking policies take a single metric, not metric math.
        CfnScalingPolicy.Builder.create(this, "BacklogPerInstance")
                .autoScalingGroupName(autoScalingGroupName)
                .policyType("TargetTrackingScaling")
                .targetTrackingConfiguration(CfnScalingPolicy.TargetTrackingConfigurationProperty.builder()
                        .targetValue(target)
                        .customizedMetricSpecification(
                                CfnScalingPolicy.CustomizedMetricSpecificationProperty.builder()
                                        .metrics(List.of(
                                                trackingQuery("m1", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
                                                        "QueueName", queueName, "Sum"),
                                                trackingQuery("m2", "AWS/SQS", "ApproximateNumberOfMessagesNotVisible",
                                                        "QueueName", queueName, "Sum"),
                                                trackingQuery("m3", "AWS/AutoScaling", "GroupInServiceInstances",
                                                        "AutoScalingGroupName", autoScalingGroupName, "Average"),
                                                CfnScalingPolicy.TargetTrackingMetricDataQueryProperty.builder()
                                                        .id("e1")
                                                        .expression(WORK_EXPRESSION)
                                                        .label("Work (waiting + in flight) per instance")
                                                        .returnData(true)
                                                        .build()))
                                        .build())
                        .build())
                .build();

        if (scalesFromZero) {
            CfnScalingPolicy firstInstance = CfnScalingPolicy.Builder.create(this, "ZeroToOne")
                    .autoScalingGroupName(autoScalingGroupName)
                    .policyType("StepScaling")
                    .adjustmentType("ChangeInCapacity")
                    .metricAggregationType("Maximum")
                    .stepAdjustments(List.of(CfnScalingPolicy.StepAdjustmentProperty.builder()
                            .metricIntervalLowerBound(0)
                            .scalingAdjustment(1)
                            .build()))
                    .build();
            MathExpression.Builder.create()
                    .expression(ZERO_TO_ONE_EXPRESSION)
                    .usingMetrics(Ordered.map(
                            "m1", maximum("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", queueName),
                            "m2", maximum("AWS/AutoScaling", "GroupDesiredCapacity", "AutoScalingGroupName",
                                    autoScalingGroupName)))
                    .label("Visible messages with no instance wanted")
                    // An expression's period overrides its metrics' periods, and its default is 5 minutes.
                    .period(PERIOD)
                    .build()
                    .createAlarm(this, "MessagesWaitingWithNoInstance", CreateAlarmOptions.builder()
                            .alarmDescription("Messages are visible on " + queueName
                                    + " while the group wants no instance: add the first one (target tracking"
                                    + " cannot leave zero)")
                            .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                            .threshold(1)
                            .evaluationPeriods(1)
                            .datapointsToAlarm(1)
                            .treatMissingData(TreatMissingData.NOT_BREACHING)
                            .build())
                    // The CDK's AutoScalingAction takes only its L2 StepScalingAction; this policy is L1.
                    .addAlarmAction((actionScope, alarm) -> AlarmActionConfig.builder()
                            .alarmActionArn(firstInstance.getAttrArn())
                            .build());
        }
    }

    private static CfnScalingPolicy.TargetTrackingMetricDataQueryProperty trackingQuery(
            String id, String namespace, String metricName, String dimension, String value, String stat) {
        return CfnScalingPolicy.TargetTrackingMetricDataQueryProperty.builder()
                .id(id)
                .returnData(false)
                .metricStat(CfnScalingPolicy.TargetTrackingMetricStatProperty.builder()
                        .stat(stat)
                        .metric(CfnScalingPolicy.MetricProperty.builder()
                                .namespace(namespace)
                                .metricName(metricName)
                                .dimensions(List.of(CfnScalingPolicy.MetricDimensionProperty.builder()
                                        .name(dimension).value(value).build()))
                                .build())
                        .build())
                .build();
    }

    private static Metric maximum(String namespace, String metricName, String dimension, String value) {
        return Metric.Builder.create()
                .namespace(namespace)
                .metricName(metricName)
                .dimensionsMap(Map.of(dimension, value))
                .statistic("Maximum")
                .period(PERIOD)
                .build();
    }
}
