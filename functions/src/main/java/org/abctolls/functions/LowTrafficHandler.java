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
 * Fed by the {@code low-traffic-alerts} stream: notifies operators once per (station,
 * window) whose traffic fell below its threshold (see {@link OperatorAlerts}).
 */
public final class LowTrafficHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {

    private final OperatorAlerts alerts;
    private final KinesisBatch batch;

    /** In Lambda: configuration from the environment; SDK clients built once per container. */
    public LowTrafficHandler() {
        this(
                LowTrafficConfig.fromEnvironment(System.getenv()),
                DynamoDbClient.create(),
                SnsClient.create(),
                SqsClient.create());
    }

    /** Hosted elsewhere (the local KCL host): the given configuration and clients. */
    public LowTrafficHandler(LowTrafficConfig config, DynamoDbClient dynamoDb, SnsClient sns, SqsClient sqs) {
        this(
                new OperatorAlerts(
                        dynamoDb,
                        sns,
                        config.ledgerTable(),
                        config.operatorAlertsTopicArn(),
                        config.ledgerEntriesKept()),
                new DeadLetterQueue(sqs, config.deadLetterQueueUrl()),
                new FunctionMetrics("low-traffic"));
    }

    public LowTrafficHandler(OperatorAlerts alerts, DeadLetterQueue deadLetters, FunctionMetrics metrics) {
        this.alerts = alerts;
        this.batch = new KinesisBatch(deadLetters, metrics);
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        return InvocationLog.around(context, () -> process(event));
    }

    private StreamsEventResponse process(KinesisEvent event) {
        Map<String, Integer> counts = new LinkedHashMap<>(Map.of("AlertsSent", 0, "DuplicatesIgnored", 0));
        return batch.process(event, counts, json -> {
            boolean sent = alerts.publishOnce(TollJson.readLowTrafficAlert(json));
            counts.merge(sent ? "AlertsSent" : "DuplicatesIgnored", 1, Integer::sum);
        });
    }
}
