package org.abctolls.localpipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.abctolls.domain.DeadLetter;
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
        billingAlerts.addAll(TopicQueues.drain(sqs, billingInbox, quiet));
        lowTrafficAlerts.addAll(TopicQueues.drain(sqs, lowTrafficInbox, quiet));
    }

    synchronized List<TopicQueues.Received> billingAlerts() {
        return List.copyOf(billingAlerts);
    }

    synchronized List<TopicQueues.Received> lowTrafficAlerts() {
        return List.copyOf(lowTrafficAlerts);
    }

    Map<String, Map<YearMonth, Long>> monthlyTotals(DynamoDbClient dynamoDb) {
        return LedgerReports.monthlyTotalsOfEveryCustomer(
                dynamoDb, resources.byId("Ledger").name());
    }

    /**
     * Every record the pipeline refused, as JSON with its reason and the stage that refused it.
     *
     * @param byProducer the records the producer kept back
     */
    List<String> rejected(List<DeadLetter> byProducer) {
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
    List<String> failedBatches() {
        return TopicQueues.drain(sqs, resources.byId("BatchesOnFailure").url(), Duration.ofSeconds(1)).stream()
                .map(TopicQueues.Received::body)
                .toList();
    }

    /** Every record on {@code TollEvents}, with the instant Kinesis received it. */
    List<Record> inputRecords() {
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
