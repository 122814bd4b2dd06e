package dev.longshore.infra;

import java.util.List;
import software.amazon.awscdk.services.autoscaling.CfnScalingPolicy;
import software.amazon.awscdk.services.cloudwatch.CfnAlarm;
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
    private static final int PERIOD_SECONDS = 60;

    QueueDepthScaling(Construct scope, String id, String autoScalingGroupName, String queueName, double target,
                      boolean scalesFromZero) {
        super(scope, id);
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
            CfnAlarm.Builder.create(this, "MessagesWaitingWithNoInstance")
                    .alarmDescription("Messages are visible on " + queueName
                            + " while the group wants no instance: add the first one (target tracking cannot"
                            + " leave zero)")
                    .comparisonOperator("GreaterThanOrEqualToThreshold")
                    .threshold(1)
                    .evaluationPeriods(1)
                    .datapointsToAlarm(1)
                    .treatMissingData("notBreaching")
                    .alarmActions(List.of(firstInstance.getAttrArn()))
                    .metrics(List.of(
                            alarmQuery("m1", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName",
                                    queueName, "Maximum"),
                            alarmQuery("m2", "AWS/AutoScaling", "GroupDesiredCapacity", "AutoScalingGroupName",
                                    autoScalingGroupName, "Maximum"),
                            CfnAlarm.MetricDataQueryProperty.builder()
                                    .id("e1")
                                    .expression(ZERO_TO_ONE_EXPRESSION)
                                    .label("Visible messages with no instance wanted")
                                    .returnData(true)
                                    .build()))
                    .build();
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

    private static CfnAlarm.MetricDataQueryProperty alarmQuery(
            String id, String namespace, String metricName, String dimension, String value, String stat) {
        return CfnAlarm.MetricDataQueryProperty.builder()
                .id(id)
                .returnData(false)
                .metricStat(CfnAlarm.MetricStatProperty.builder()
                        .stat(stat)
                        .period(PERIOD_SECONDS)
                        .metric(CfnAlarm.MetricProperty.builder()
                                .namespace(namespace)
                                .metricName(metricName)
                                .dimensions(List.of(CfnAlarm.DimensionProperty.builder()
                                        .name(dimension).value(value).build()))
                                .build())
                        .build())
                .build();
    }
}
