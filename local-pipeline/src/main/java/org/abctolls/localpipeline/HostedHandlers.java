package org.abctolls.localpipeline;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.abctolls.functions.BillingConfig;
import org.abctolls.functions.BillingThresholdHandler;
import org.abctolls.functions.DeadLetterQueue;
import org.abctolls.functions.LowTrafficConfig;
import org.abctolls.functions.LowTrafficHandler;
import org.abctolls.localkit.AwsTarget;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Handlers on KCL workers ({@link HostedHandler}), each reading its stream as its event source
 * mapping would on AWS: both functions, configured from the environment the template gives each;
 * or, on the kit, a {@link FirehoseForwarder} per delivery stream of the template, feeding it
 * from its source stream (the raw archive of {@code TollEvents} and the job's dead letters).
 */
final class HostedHandlers implements AutoCloseable {

    static final String BILLING = "BillingThreshold";
    static final String LOW_TRAFFIC = "LowTraffic";

    private final List<HostedHandler> workers = new ArrayList<>();
    private final List<SdkAutoCloseable> clients = new ArrayList<>();

    private HostedHandlers() {}

    /**
     * @param prefix the run's prefix, for the workers' lease tables
     * @param billingDynamoDb wraps the billing function's DynamoDB client (a test injects crashes there)
     */
    static HostedHandlers functions(
            AwsTarget aws,
            LocalResources resources,
            String prefix,
            DynamoDbClient dynamoDb,
            SnsClient sns,
            SqsClient sqs,
            UnaryOperator<DynamoDbClient> billingDynamoDb) {
        return started(hosted -> {
            BillingConfig billing = BillingConfig.fromEnvironment(resources.environmentOf(BILLING));
            hosted.function(
                    aws,
                    resources,
                    prefix,
                    sqs,
                    BILLING,
                    new BillingThresholdHandler(billing, billingDynamoDb.apply(dynamoDb), sns, sqs));
            LowTrafficConfig lowTraffic = LowTrafficConfig.fromEnvironment(resources.environmentOf(LOW_TRAFFIC));
            hosted.function(
                    aws, resources, prefix, sqs, LOW_TRAFFIC, new LowTrafficHandler(lowTraffic, dynamoDb, sns, sqs));
        });
    }

    /** @param prefix the run's prefix, for the forwarders' lease tables */
    static HostedHandlers archiveForwarders(AwsTarget aws, LocalResources resources, String prefix, SqsClient sqs) {
        return started(hosted -> {
            FirehoseClient firehose = aws.firehose();
            hosted.clients.add(firehose);
            DeadLetterQueue deadLetters =
                    new DeadLetterQueue(sqs, resources.byId("RecordDeadLetters").url());
            for (Map.Entry<String, LocalResources.Made> deliveryStream :
                    resources.deliveryStreamSources().entrySet()) {
                String id = deliveryStream.getKey();
                hosted.workers.add(HostedHandler.start(
                        aws,
                        id + " forwarder",
                        prefix + "-" + id + "-Forwarder",
                        deliveryStream.getValue(),
                        new FirehoseForwarder(
                                firehose::putRecordBatch,
                                resources.byId(id).name(),
                                deadLetters,
                                FirehoseForwarder.Retry.DEFAULT),
                        FirehoseForwarder.MAPPING,
                        sqs,
                        resources.byId("BatchesOnFailure").url()));
            }
        });
    }

    private static HostedHandlers started(Consumer<HostedHandlers> start) {
        HostedHandlers hosted = new HostedHandlers();
        try {
            start.accept(hosted);
            return hosted;
        } catch (RuntimeException | Error e) {
            hosted.close();
            throw e;
        }
    }

    private void function(
            AwsTarget aws,
            LocalResources resources,
            String prefix,
            SqsClient sqs,
            String function,
            RequestHandler<KinesisEvent, StreamsEventResponse> handler) {
        workers.add(HostedHandler.start(
                aws,
                function,
                prefix + "-" + function,
                resources.sourceOf(function),
                handler,
                resources.eventSourceMappingOf(function),
                sqs,
                resources.onFailureOf(function).url()));
    }

    /** Until each worker processes every shard of its stream: records sent from then on meet a running handler. */
    void awaitProcessingEveryShard(KinesisClient kinesis) {
        workers.forEach(worker -> worker.awaitProcessingEveryShard(kinesis));
    }

    /** Until each worker has checkpointed the last record of every shard of its stream. */
    void awaitCheckpointedEveryRecord(KinesisClient kinesis, DynamoDbClient dynamoDb, Duration timeout) {
        workers.forEach(worker -> worker.awaitCheckpointedEveryRecord(kinesis, dynamoDb, timeout));
    }

    /** Stops the workers of all of them together (see {@link HostedHandler#closeAll}), then their clients. */
    static void closeAll(List<HostedHandlers> all) {
        HostedHandler.closeAll(
                all.stream().flatMap(hosted -> hosted.workers.stream()).toList());
        all.forEach(hosted -> hosted.clients.forEach(SdkAutoCloseable::close));
    }

    @Override
    public void close() {
        closeAll(List.of(this));
    }
}
