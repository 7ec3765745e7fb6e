package org.abctolls.localpipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.abctolls.functions.DeadLetterQueue;
import org.abctolls.localkit.AwsTarget;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The stack's delivery streams on the kit, each fed from its source stream by a
 * {@link FirehoseForwarder} on its own KCL worker: the raw archive of {@code TollEvents} and
 * the analytics job's dead letters, into the archive bucket.
 */
final class LocalArchive implements AutoCloseable {

    private final FirehoseClient firehose;
    private final List<HostedHandler> forwarders;

    private LocalArchive(FirehoseClient firehose, List<HostedHandler> forwarders) {
        this.firehose = firehose;
        this.forwarders = forwarders;
    }

    /**
     * @param prefix the run's prefix, for the forwarders' lease tables
     */
    static LocalArchive start(AwsTarget aws, LocalResources resources, String prefix, SqsClient sqs) {
        FirehoseClient firehose = aws.firehose();
        List<HostedHandler> forwarders = new ArrayList<>();
        LocalArchive archive = new LocalArchive(firehose, forwarders);
        try {
            DeadLetterQueue deadLetters =
                    new DeadLetterQueue(sqs, resources.byId("RecordDeadLetters").url());
            for (Map.Entry<String, LocalResources.Made> deliveryStream :
                    resources.deliveryStreamSources().entrySet()) {
                String id = deliveryStream.getKey();
                forwarders.add(HostedHandler.start(
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
            return archive;
        } catch (RuntimeException | Error e) {
            archive.close();
            throw e;
        }
    }

    void awaitReady(KinesisClient kinesis) {
        forwarders.forEach(forwarder -> forwarder.awaitProcessingEveryShard(kinesis));
    }

    /** Until every record of every source stream is in its delivery stream. */
    void awaitArchived(KinesisClient kinesis, DynamoDbClient dynamoDb, Duration timeout) {
        forwarders.forEach(forwarder -> forwarder.awaitCheckpointedEveryRecord(kinesis, dynamoDb, timeout));
    }

    List<HostedHandler> forwarders() {
        return List.copyOf(forwarders);
    }

    @Override
    public void close() {
        HostedHandler.closeAll(forwarders);
        firehose.close();
    }
}
