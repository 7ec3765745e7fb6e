package org.abctolls.infra;

import static org.abctolls.infra.PipelineMetrics.PERIOD;
import static org.abctolls.infra.PipelineMetrics.expression;
import static org.abctolls.infra.PipelineMetrics.failedShare;
import static org.abctolls.infra.PipelineMetrics.firehose;
import static org.abctolls.infra.PipelineMetrics.flink;
import static org.abctolls.infra.PipelineMetrics.highestOfEverySeries;
import static org.abctolls.infra.PipelineMetrics.per;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * What operators watch, on one dashboard, with an alarm (to the operators' topic) on each
 * sign that the pipeline is falling behind or losing work: consumer iterator age, Firehose
 * freshness against the 30-minute promise, COPYs into Redshift failing, the Flink job not
 * running, its downtime, checkpoint failures and lag, function errors and throttles, queue
 * depth, stream write throttling.
 */
public final class PipelineMonitoring extends Construct {

    /** Billing alerts are promised within 10 minutes; a consumer 5 minutes behind is half-way there. */
    private static final double MAX_ITERATOR_AGE_MILLIS =
            Duration.minutes(5).toMilliseconds().doubleValue();
    /** Warehouse data must never be more than 30 minutes old; alarm at 20. */
    private static final double MAX_FIREHOSE_FRESHNESS_SECONDS =
            Duration.minutes(20).toSeconds().doubleValue();

    /** Longer than the application takes to start (a few minutes), so a deploy raises no alarm. */
    private static final int FLINK_NOT_RUNNING_MINUTES = 10;

    /**
     * Firehose COPYs each object as it lands (every few minutes) and retries a failed one for
     * {@link PipelineSettings#WAREHOUSE_COPY_RETRY} before it skips it: failing for two
     * five-minute periods ({@link PipelineMetrics#COPY_PERIOD}) leaves operators about half of
     * the 20 minutes Redshift may be out of reach before passages are older than the
     * warehouse's 30.
     */
    private static final int COPY_FAILING_PERIODS = 2;

    /**
     * Passages later than their station window, per second, sustained for 5 minutes: a gateway
     * delivering hours late, or a clock gone wrong. The station counts miss them, so low-traffic
     * alerts for those stations may be false.
     */
    static final double MAX_LATE_PASSAGES_PER_SECOND = 1;

    static final int REFERENCE_DATA_UNUSABLE_MINUTES = 5;

    private final List<Alarm> alarms = new ArrayList<>();

    public PipelineMonitoring(Construct scope, String id, PipelineMonitoringProps props) {
        super(scope, id);
        Dashboard dashboard = Dashboard.Builder.create(this, "Dashboard")
                .dashboardName("abc-tolls")
                .build();
        SnsAction notify = new SnsAction(props.alarmTopic());

        // A stream that receives nothing publishes no datapoint at all: each empty minute counts as
        // zero (one long period would keep the alarm OK while an older datapoint is still in range).
        int silentMinutes = props.silenceAlarm().toMinutes().intValue();
        IMetric incoming = expression(
                "FILL(received, 0)",
                Map.of("received", props.input().metricIncomingRecords(per("Sum"))),
                "records received per minute",
                PERIOD);
        absenceAlarm(
                props.input().getNode().getId() + "Silent",
                "No toll events for " + silentMinutes + " minutes: transceivers, stations or producers are down",
                incoming,
                silentMinutes,
                notify);
        dashboard.addWidgets(graph(props.input().getNode().getId() + ": records received", incoming));

        for (Stream stream : props.streams()) {
            String name = stream.getNode().getId();
            IMetric iteratorAge = stream.metricGetRecordsIteratorAgeMilliseconds(per("Maximum"));
            IMetric writeThrottled = stream.metricPutRecordsThrottledRecords(per("Sum"));
            alarm(name + "IteratorAge", iteratorAge, MAX_ITERATOR_AGE_MILLIS, 5, notify);
            alarm(name + "WriteThrottled", writeThrottled, 0, 5, notify);
            dashboard.addWidgets(
                    graph(name + ": consumer iterator age (ms)", iteratorAge),
                    graph(name + ": throttled writes", writeThrottled));
        }

        for (Stream deadLetters : props.deadLetterStreams()) {
            String name = deadLetters.getNode().getId();
            IMetric arrivals = deadLetters.metricIncomingRecords(per("Sum"));
            alarm(name + "Arrived", arrivals, 0, 1, notify);
            dashboard.addWidgets(graph(name + ": records refused", arrivals));
        }

        for (Map.Entry<String, String> deliveryStream : new TreeMap<>(props.deliveryStreams()).entrySet()) {
            IMetric freshness = firehose("DeliveryToS3.DataFreshness", deliveryStream.getValue(), "Maximum", PERIOD);
            alarm(deliveryStream.getKey() + "Freshness", freshness, MAX_FIREHOSE_FRESHNESS_SECONDS, 1, notify);
            dashboard.addWidgets(
                    graph(deliveryStream.getKey() + ": age of the oldest record not yet in S3 (s)", freshness));
        }

        for (Map.Entry<String, String> deliveryStream : new TreeMap<>(props.transformingDeliveryStreams()).entrySet()) {
            // A batch whose transformation still fails after Firehose's retries goes whole, valid
            // records and all, to the error prefix instead of the warehouse: any failed invocation
            // is worth a look, and the function's own errors alarm needs three failing minutes.
            IMetric transformFailures = failedShare(
                    "ExecuteProcessing.Success",
                    deliveryStream.getValue(),
                    "share of transformation invocations that failed");
            alarm(deliveryStream.getKey() + "TransformFailing", transformFailures, 0, 1, notify);
            dashboard.addWidgets(
                    graph(deliveryStream.getKey() + ": share of transformations failing", transformFailures));
        }

        for (Map.Entry<String, String> deliveryStream : new TreeMap<>(props.redshiftDeliveryStreams()).entrySet()) {
            // S3 freshness stays low while COPY fails: the objects are in S3, not in the warehouse.
            IMetric copyFailures = failedShare(
                    "DeliveryToRedshift.Success",
                    deliveryStream.getValue(),
                    "share of COPYs into Redshift that failed");
            alarm(deliveryStream.getKey() + "CopyFailing", copyFailures, 0, COPY_FAILING_PERIODS, notify);
            dashboard.addWidgets(graph(deliveryStream.getKey() + ": share of COPYs failing", copyFailures));
        }

        Map<String, String> application = Map.of("Application", props.flinkApplicationName());
        IMetric downtime = flink("downtime", application, "Maximum");
        IMetric failedCheckpoints = flink("numberOfFailedCheckpoints", application, "Maximum");
        // Managed Flink publishes the source's lag with the dimensions Application, Flow and Id
        // (the stream), which a metric naming the application alone never matches: a Metrics
        // Insights query takes the slowest reader's whatever dimensions come with it.
        IMetric lag = highestOfEverySeries(
                "millisBehindLatest", props.flinkApplicationName(), "ms behind the stream's tip, slowest reader");
        alarm("FlinkDowntime", downtime, 0, 3, notify);
        // A job that is not running (stopped, or never started) publishes no metric at all, so
        // neither downtime nor lag shows it: each minute without an uptime counts as zero.
        absenceAlarm(
                "FlinkNotRunning",
                "The analytics job has not been running for " + FLINK_NOT_RUNNING_MINUTES
                        + " minutes: no totals, no alerts",
                expression(
                        "FILL(uptime, 0)",
                        Map.of("uptime", flink("uptime", application, "Maximum")),
                        "job running for (ms)",
                        PERIOD),
                FLINK_NOT_RUNNING_MINUTES,
                notify);
        // The count is cumulative (and restarts at zero with the job): alarm on its increase, so the
        // alarm clears once checkpoints succeed again instead of staying latched.
        // A restarted job counts from zero again: a drop is then the new count itself.
        IMetric newlyFailedCheckpoints = expression(
                "IF(DIFF(failed) < 0, failed, DIFF(failed))",
                Map.of("failed", failedCheckpoints),
                "checkpoints failed in the minute",
                PERIOD);
        alarm("FlinkCheckpointFailures", newlyFailedCheckpoints, 0, 1, notify);
        alarm("FlinkLag", lag, MAX_ITERATOR_AGE_MILLIS, 5, notify);
        // The job's own metric (its kinesisanalytics group), per subtask: a Metrics Insights
        // query takes the busiest subtask's rate whatever dimensions the metrics level adds.
        IMetric latePassages = highestOfEverySeries(
                "latePassagesForStationsPerSecond",
                props.flinkApplicationName(),
                "passages late for their station window, per second");
        alarm("FlinkLatePassages", latePassages, MAX_LATE_PASSAGES_PER_SECOND, 5, notify);
        // The job's own gauge: 1 while the newest reference files read are refused or out of reach.
        // The last usable version stays in force meanwhile (with none, no station window is
        // judged). For 5 minutes: a poll between the uploads of the two files refuses a pair
        // that does not match, and the next poll, a minute later, reads both.
        IMetric referenceDataUnusable = highestOfEverySeries(
                "referenceDataUnusable", props.flinkApplicationName(), "newest reference data refused (1) or not (0)");
        alarm("FlinkReferenceDataUnusable", referenceDataUnusable, 0, REFERENCE_DATA_UNUSABLE_MINUTES, notify);
        dashboard.addWidgets(
                graph("Flink: downtime (ms)", downtime),
                graph("Flink: failed checkpoints", failedCheckpoints),
                graph("Flink: ms behind the stream's tip", lag),
                graph("Flink: passages late for their station window, per second", latePassages),
                graph("Flink: newest reference data refused", referenceDataUnusable));

        for (Function function : props.functions()) {
            String functionId = function.getNode().getId();
            String name =
                    function.getNode().getScope().getNode().getId() + (functionId.equals("Function") ? "" : functionId);
            IMetric errors = function.metricErrors(per("Sum"));
            IMetric throttles = function.metricThrottles(per("Sum"));
            alarm(name + "Errors", errors, 0, 3, notify);
            alarm(name + "Throttles", throttles, 0, 3, notify);
            dashboard.addWidgets(graph(name + ": errors", errors), graph(name + ": throttles", throttles));
        }

        for (Function consumer : props.streamConsumers()) {
            // A batch that keeps failing is retried, not an error of the invocation: the age of the
            // records the function is given grows instead (Lambda's IteratorAge, per invocation).
            String name = consumer.getNode().getScope().getNode().getId();
            IMetric iteratorAge = consumer.metric("IteratorAge", per("Maximum"));
            alarm(name + "IteratorAge", iteratorAge, MAX_ITERATOR_AGE_MILLIS, 5, notify);
            dashboard.addWidgets(graph(name + ": age of the records it is given (ms)", iteratorAge));
        }

        for (Function function : props.scheduledFunctions()) {
            IMetric errors = function.metricErrors(per("Sum"));
            alarm(function.getNode().getId() + "Errors", errors, 0, 1, notify);
            dashboard.addWidgets(graph(function.getNode().getId() + ": errors", errors));
        }

        for (Map.Entry<String, IMetric> count : new TreeMap<>(props.countsThatStayZero()).entrySet()) {
            alarm(count.getKey(), count.getValue(), 0, 1, notify);
            dashboard.addWidgets(graph(count.getKey(), count.getValue()));
        }

        for (Queue queue : props.queues()) {
            String name = queue.getNode().getId();
            IMetric depth = queue.metricApproximateNumberOfMessagesVisible(per("Maximum"));
            alarm(name + "Depth", depth, 0, 1, notify);
            dashboard.addWidgets(graph(name + ": messages waiting", depth));
        }
    }

    private static GraphWidget graph(String title, IMetric metric) {
        return GraphWidget.Builder.create()
                .title(title)
                .left(List.of(metric))
                .width(12)
                .build();
    }

    /** Below 1 for {@code minutes} one-minute periods in a row, a missing datapoint counting as below. */
    private void absenceAlarm(String id, String description, IMetric metric, int minutes, SnsAction notify) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmDescription(description)
                .metric(metric)
                .threshold(1)
                .evaluationPeriods(minutes)
                .datapointsToAlarm(minutes)
                .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD)
                .treatMissingData(TreatMissingData.BREACHING)
                .build();
        alarm.addAlarmAction(notify);
        alarms.add(alarm);
    }

    private void alarm(String id, IMetric metric, double threshold, int periods, SnsAction notify) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(periods)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        alarm.addAlarmAction(notify);
        alarms.add(alarm);
    }

    public List<Alarm> alarms() {
        return List.copyOf(alarms);
    }
}
