package org.abctolls.localpipeline;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.abctolls.functions.BillingConfig;
import org.abctolls.functions.BillingThresholdHandler;
import org.abctolls.functions.LowTrafficConfig;
import org.abctolls.functions.LowTrafficHandler;
import org.abctolls.localkit.AwsTarget;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Both functions, each on its own KCL worker reading its stream with its event source
 * mapping's settings from the template, as Lambda runs them on AWS; configured from the
 * environment the template gives each function.
 */
final class HostedFunctions implements AutoCloseable {

    static final String BILLING = "BillingThreshold";
    static final String LOW_TRAFFIC = "LowTraffic";

    private final Map<String, HostedHandler> hosts = new LinkedHashMap<>();

    private HostedFunctions() {}

    /**
     * @param prefix the run's prefix, for the workers' lease tables
     * @param billingDynamoDb wraps the billing function's DynamoDB client (a test injects crashes there)
     */
    static HostedFunctions start(
            AwsTarget aws,
            LocalResources resources,
            String prefix,
            DynamoDbClient dynamoDb,
            SnsClient sns,
            SqsClient sqs,
            UnaryOperator<DynamoDbClient> billingDynamoDb) {
        HostedFunctions functions = new HostedFunctions();
        try {
            BillingConfig billing = BillingConfig.fromEnvironment(resources.environmentOf(BILLING));
            functions.host(
                    aws,
                    resources,
                    prefix,
                    sqs,
                    BILLING,
                    new BillingThresholdHandler(billing, billingDynamoDb.apply(dynamoDb), sns, sqs));
            LowTrafficConfig lowTraffic = LowTrafficConfig.fromEnvironment(resources.environmentOf(LOW_TRAFFIC));
            functions.host(
                    aws, resources, prefix, sqs, LOW_TRAFFIC, new LowTrafficHandler(lowTraffic, dynamoDb, sns, sqs));
            return functions;
        } catch (RuntimeException | Error e) {
            functions.close();
            throw e;
        }
    }

    private void host(
            AwsTarget aws,
            LocalResources resources,
            String prefix,
            SqsClient sqs,
            String function,
            RequestHandler<KinesisEvent, StreamsEventResponse> handler) {
        hosts.put(
                function,
                HostedHandler.start(
                        aws,
                        function,
                        prefix + "-" + function,
                        resources.sourceOf(function),
                        handler,
                        resources.eventSourceMappingOf(function),
                        sqs,
                        resources.onFailureOf(function).url()));
    }

    /** Until each worker processes every shard of its stream. */
    void awaitProcessingEveryShard(KinesisClient kinesis) {
        hosts.values().forEach(host -> host.awaitProcessingEveryShard(kinesis));
    }

    /** Until each worker has checkpointed the last record of every shard of its stream. */
    void awaitCheckpointedEveryRecord(KinesisClient kinesis, DynamoDbClient dynamoDb, Duration timeout) {
        hosts.values().forEach(host -> host.awaitCheckpointedEveryRecord(kinesis, dynamoDb, timeout));
    }

    List<HostedHandler> workers() {
        return new ArrayList<>(hosts.values());
    }

    @Override
    public void close() {
        HostedHandler.closeAll(hosts.values());
    }
}
