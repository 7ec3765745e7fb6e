package org.abctolls.localpipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.abctolls.domain.DeadLetter;
import org.abctolls.domain.TollJson;
import org.abctolls.functions.LedgerReports;
import org.abctolls.localkit.KinesisStreams;
import org.abctolls.localkit.TopicQueues;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What a run produces, seen from outside as its consumers see it: the alerts through a queue
 * subscribed to each topic (as a customer's and an operator's endpoint receive them), the
 * window totals on their stream, the ledger's month totals, the records every stage refused,
 * and the batches an event source mapping gave up.
 */
final class PipelineObserver {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalResources resources;
    private final KinesisClient kinesis;
    private final SqsClient sqs;
    private final String billingInbox;
    private final String lowTrafficInbox;
    private KinesisStreams.Tail customerWindowTotals;
    private final List<TopicQueues.Received> billingAlerts = new ArrayList<>();
    private final List<TopicQueues.Received> lowTrafficAlerts = new ArrayList<>();

    private PipelineObserver(
            LocalResources resources,
            KinesisClient kinesis,
            SqsClient sqs,
            String billingInbox,
            String lowTrafficInbox) {
        this.resources = resources;
        this.kinesis = kinesis;
        this.sqs = sqs;
        this.billingInbox = billingInbox;
        this.lowTrafficInbox = lowTrafficInbox;
    }

    /** Subscribes a new queue, named after the run's prefix, to each topic. */
    static PipelineObserver subscribe(
            LocalResources resources, String prefix, KinesisClient kinesis, SnsClient sns, SqsClient sqs) {
        return new PipelineObserver(
                resources,
                kinesis,
                sqs,
                TopicQueues.subscribeNewQueue(
                        sns, sqs, resources.byId("CustomerNotifications").arn(), prefix + "-customer-inbox"),
                TopicQueues.subscribeNewQueue(
                        sns, sqs, resources.byId("OperatorAlerts").arn(), prefix + "-operator-inbox"));
    }

    /** How many window totals the job has written so far. */
    synchronized int customerWindowTotals() {
        if (customerWindowTotals == null) {
            customerWindowTotals = KinesisStreams.tail(
                    kinesis, resources.byId("CustomerWindowTotals").name());
        }
        return customerWindowTotals.poll();
    }

    /** Takes the alerts in both inboxes, until a poll waiting {@code quiet} finds none. */
    synchronized void receiveAlerts(Duration quiet) {
        TopicQueues.drain(sqs, billingInbox, quiet, billingAlerts::add);
        TopicQueues.drain(sqs, lowTrafficInbox, quiet, lowTrafficAlerts::add);
    }

    synchronized List<TopicQueues.Received> billingAlerts() {
        return List.copyOf(billingAlerts);
    }

    synchronized List<TopicQueues.Received> lowTrafficAlerts() {
        return List.copyOf(lowTrafficAlerts);
    }

    private Map<String, Map<YearMonth, Long>> monthlyTotals(DynamoDbClient dynamoDb) {
        return LedgerReports.monthlyTotalsOfEveryCustomer(
                dynamoDb, resources.byId("Ledger").name());
    }

    /**
     * Every record the pipeline refused, as JSON with its reason and the stage that refused it.
     *
     * @param byProducer the records the producer kept back
     */
    private List<String> rejected(List<DeadLetter> byProducer) {
        List<String> rejected = new ArrayList<>();
        for (DeadLetter kept : byProducer) {
            rejected.add(withStage(kept.toJson(DeadLetter.KINESIS_RECORD_LIMIT), "producer"));
        }
        KinesisStreams.Tail analytics = KinesisStreams.tail(
                kinesis, resources.byId("AnalyticsDeadLetters").name());
        analytics.poll();
        for (String deadLetter : analytics.texts()) {
            rejected.add(withStage(deadLetter, "analytics"));
        }
        for (TopicQueues.Received deadLetter :
                TopicQueues.drain(sqs, resources.byId("RecordDeadLetters").url(), Duration.ofSeconds(1))) {
            rejected.add(withStage(deadLetter.body(), "functions"));
        }
        return rejected;
    }

    /** The batches an event source mapping gave up, as its on-failure destination describes them. */
    private List<String> failedBatches() {
        return TopicQueues.drain(sqs, resources.byId("BatchesOnFailure").url(), Duration.ofSeconds(1)).stream()
                .map(TopicQueues.Received::body)
                .toList();
    }

    /**
     * What the run produced, with each alert's latency from its window's close (the watermark
     * passing it, {@code watermarkBound} after its end, or the end of input) and each passage's
     * from its put to its load into the warehouse.
     */
    LocalPipeline.Output output(
            DynamoDbClient dynamoDb,
            List<DeadLetter> rejectedByProducer,
            Optional<LocalWarehouse.Output> warehouse,
            Duration watermarkBound,
            Instant endOfInput) {
        List<TopicQueues.Received> billing = billingAlerts();
        List<TopicQueues.Received> lowTraffic = lowTrafficAlerts();
        List<Record> received = inputRecords();
        AlertLatency latency = new AlertLatency(received, watermarkBound, endOfInput);
        return new LocalPipeline.Output(
                billing,
                lowTraffic,
                monthlyTotals(dynamoDb),
                rejected(rejectedByProducer),
                failedBatches(),
                latency.summarize(billing, json -> TollJson.readBillingThresholdAlert(json)
                        .crossedInWindowEnd()),
                latency.summarize(
                        lowTraffic, json -> TollJson.readLowTrafficAlert(json).windowEnd()),
                warehouse,
                warehouse
                        .map(loaded -> AlertLatency.toWarehouse(received, loaded))
                        .orElse(AlertLatency.Summary.of(List.of())));
    }

    /** Every record on {@code TollEvents}, with the instant Kinesis received it. */
    private List<Record> inputRecords() {
        KinesisStreams.Tail input =
                KinesisStreams.tail(kinesis, resources.byId("TollEvents").name());
        input.poll();
        return input.recordsByShard().values().stream().flatMap(List::stream).toList();
    }

    private static String withStage(String json, String stage) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(json);
            node.put("rejectedBy", stage);
            return node.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("a dead letter that is not JSON: " + json, e);
        }
    }
}
