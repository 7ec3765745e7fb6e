package org.abctolls.infra;

import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.MetricProps;

/** The metrics {@link PipelineMonitoring} graphs and alarms on, from the services' namespaces. */
final class PipelineMetrics {

    static final Duration PERIOD = Duration.minutes(1);

    /** Firehose publishes its metrics every five minutes. */
    static final Duration COPY_PERIOD = Duration.minutes(5);

    private PipelineMetrics() {}

    /** The statistic over one-minute periods, for every metric here. */
    static MetricOptions per(String statistic) {
        return MetricOptions.builder().statistic(statistic).period(PERIOD).build();
    }

    static IMetric flink(String metric, Map<String, String> dimensions, String statistic) {
        return new Metric(MetricProps.builder()
                .namespace("AWS/KinesisAnalytics")
                .metricName(metric)
                .dimensionsMap(dimensions)
                .statistic(statistic)
                .period(PERIOD)
                .build());
    }

    static IMetric firehose(String metric, String deliveryStreamName, String statistic, Duration period) {
        return new Metric(MetricProps.builder()
                .namespace("AWS/Firehose")
                .metricName(metric)
                .dimensionsMap(Map.of("DeliveryStreamName", deliveryStreamName))
                .statistic(statistic)
                .period(period)
                .build());
    }

    /** The highest of the application's series of {@code metric}, whatever dimensions each has (Metrics Insights). */
    static IMetric highestOfEverySeries(String metric, String applicationName, String label) {
        return expression(
                "SELECT MAX(" + metric + ") FROM \"AWS/KinesisAnalytics\" WHERE Application = '" + applicationName
                        + "'",
                Map.of(),
                label,
                PERIOD);
    }

    /** One minus a delivery stream's success rate ({@code successMetric}, a share), per five minutes. */
    static IMetric failedShare(String successMetric, String deliveryStreamName, String label) {
        return expression(
                "1 - success",
                Map.of("success", firehose(successMetric, deliveryStreamName, "Average", COPY_PERIOD)),
                label,
                COPY_PERIOD);
    }

    static IMetric expression(String expression, Map<String, IMetric> metrics, String label, Duration period) {
        return MathExpression.Builder.create()
                .expression(expression)
                .usingMetrics(metrics)
                .label(label)
                .period(period)
                .build();
    }

    /**
     * Billing alerts cleared without being sent again because SNS did not confirm a publish
     * within FIFO deduplication's reach: the customer may or may not have been told. The billing
     * function counts them, as {@code FunctionMetrics} publishes its counts.
     */
    static IMetric billingAlertsUnconfirmed() {
        return new Metric(MetricProps.builder()
                .namespace("ABCTolls")
                .metricName("AlertsUnconfirmed")
                .dimensionsMap(Map.of("Function", "billing-threshold"))
                .statistic("Sum")
                .period(PERIOD)
                .build());
    }
}
