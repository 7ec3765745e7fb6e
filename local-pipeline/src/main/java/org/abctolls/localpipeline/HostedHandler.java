package org.abctolls.localpipeline;

import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.abctolls.kclhost.EventSourceMapping;
import org.abctolls.kclhost.KclHost;
import org.abctolls.kclhost.OnFailureDestination;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.KinesisStreams;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A handler on its own KCL worker ({@code kcl-host}) reading one stream of the kit, as an
 * event source mapping would run it on AWS: the functions, and on the kit the forwarders
 * that feed the delivery streams.
 */
final class HostedHandler implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private final String name;
    private final String leaseTable;
    private final String stream;
    private final KclHost host;
    private boolean closed;

    private HostedHandler(String name, String leaseTable, String stream, KclHost host) {
        this.name = name;
        this.leaseTable = leaseTable;
        this.stream = stream;
        this.host = host;
    }

    /**
     * @param leaseTable the worker's lease table, one per handler and stream
     * @param onFailureUrl the queue where a batch given up is described
     */
    static HostedHandler start(
            AwsTarget aws,
            String name,
            String leaseTable,
            LocalResources.Made source,
            RequestHandler<KinesisEvent, StreamsEventResponse> handler,
            EventSourceMapping mapping,
            SqsClient sqs,
            String onFailureUrl) {
        KclHost host = KclHost.start(
                leaseTable,
                source.name(),
                source.arn(),
                aws.region(),
                handler,
                mapping,
                new OnFailureDestination(sqs, onFailureUrl),
                new KclHost.Clients(
                        aws.configure(KinesisAsyncClient.builder(), "KINESIS")
                                .httpClientBuilder(
                                        NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
                                .build(),
                        aws.configure(DynamoDbAsyncClient.builder(), "DYNAMODB").build(),
                        aws.configure(CloudWatchAsyncClient.builder(), "CLOUDWATCH")
                                .build()),
                KclHost.Timing.QUICK_START);
        return new HostedHandler(name, leaseTable, source.name(), host);
    }

    /** Until the worker processes every shard of its stream: records sent from then on meet a running handler. */
    void awaitProcessingEveryShard(KinesisClient kinesis) {
        List<String> shards = kinesis.listShards(r -> r.streamName(stream)).shards().stream()
                .map(Shard::shardId)
                .toList();
        await(name + "'s worker to process every shard of " + stream)
                .atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> host.hostedShards().containsAll(shards));
    }

    /** Until the lease of every shard of the stream is checkpointed at the shard's last record. */
    void awaitCheckpointedEveryRecord(KinesisClient kinesis, DynamoDbClient dynamoDb, Duration timeout) {
        KinesisStreams.Tail tail = KinesisStreams.tail(kinesis, stream);
        tail.poll();
        Map<String, String> last = new HashMap<>();
        tail.recordsByShard().forEach((shard, records) -> {
            if (!records.isEmpty()) {
                last.put(shard, records.get(records.size() - 1).sequenceNumber());
            }
        });
        await(name + " to checkpoint every record of " + stream)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    Map<String, String> checkpoints = new HashMap<>();
                    dynamoDb.scanPaginator(r -> r.tableName(leaseTable).consistentRead(true))
                            .items()
                            .forEach(lease -> Optional.ofNullable(lease.get("checkpoint"))
                                    .ifPresent(checkpoint -> checkpoints.put(
                                            lease.get("leaseKey").s(), checkpoint.s())));
                    return last.entrySet().stream()
                            .allMatch(shard -> shard.getValue().equals(checkpoints.get(shard.getKey())));
                });
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            host.close();
        }
    }

    /**
     * Closes the workers together: each one's graceful shutdown waits out KCL's failover time
     * before it lets go of its leases, so one after another they would add up.
     */
    static void closeAll(Collection<HostedHandler> handlers) {
        List<Thread> closing = new ArrayList<>();
        for (HostedHandler handler : handlers) {
            Thread thread = new Thread(handler::close, "close " + handler.name);
            thread.start();
            closing.add(thread);
        }
        try {
            for (Thread thread : closing) {
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
