package org.abctolls.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.abctolls.domain.TollJson;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Fed by the {@code customer-window-totals} stream: applies each window total to the
 * customer's month-to-date total exactly once and notifies the customer when it crosses
 * their threshold (see {@link BillingLedger}).
 */
public final class BillingThresholdHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {

    private final BillingLedger ledger;
    private final KinesisBatch batch;

    /** In Lambda: configuration from the environment; SDK clients built once per container. */
    public BillingThresholdHandler() {
        this(
                BillingConfig.fromEnvironment(System.getenv()),
                DynamoDbClient.create(),
                SnsClient.create(),
                SqsClient.create());
    }

    /** Hosted elsewhere (the local KCL host): the given configuration and clients. */
    public BillingThresholdHandler(BillingConfig config, DynamoDbClient dynamoDb, SnsClient sns, SqsClient sqs) {
        this(
                new BillingLedger(
                        dynamoDb,
                        config.ledgerTable(),
                        config.customersTable(),
                        new CustomerNotifications(sns, config.customerNotificationsTopicArn()),
                        config.ledgerEntriesKept()),
                new DeadLetterQueue(sqs, config.deadLetterQueueUrl()),
                new FunctionMetrics("billing-threshold"));
    }

    public BillingThresholdHandler(BillingLedger ledger, DeadLetterQueue deadLetters, FunctionMetrics metrics) {
        this.ledger = ledger;
        this.batch = new KinesisBatch(deadLetters, metrics);
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        return InvocationLog.around(context, () -> process(event));
    }

    private StreamsEventResponse process(KinesisEvent event) {
        Map<String, Integer> counts = new LinkedHashMap<>(Map.of(
                "WindowsApplied", 0,
                "DuplicatesIgnored", 0,
                "AlertsSent", 0,
                "AlertsUnconfirmed", 0,
                "InvalidThresholds", 0));
        return batch.process(event, counts, json -> {
            BillingLedger.Outcome outcome = ledger.apply(TollJson.readCustomerWindowTotal(json));
            counts.merge(outcome.applied() ? "WindowsApplied" : "DuplicatesIgnored", 1, Integer::sum);
            counts.merge("AlertsSent", outcome.alertsPublished(), Integer::sum);
            counts.merge("AlertsUnconfirmed", outcome.alertsUnconfirmed(), Integer::sum);
            counts.merge("InvalidThresholds", outcome.invalidThreshold() ? 1 : 0, Integer::sum);
        });
    }
}
