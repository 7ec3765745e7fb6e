package org.abctolls.kclhost;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.processor.SingleStreamTracker;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

/**
 * Hosts a Lambda handler on a KCL 3 worker: the worker leases the stream's shards (lease
 * table in DynamoDB, named after the application), polls them, and feeds each shard's
 * records to the handler through a {@link BatchingShardProcessor} with the event source
 * mapping's semantics. Locally this stands in for Lambda; it can also run consumers on
 * containers or EC2.
 */
public final class KclHost implements AutoCloseable {

    /** How often each shard is polled; Lambda polls each shard once per second. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    /**
     * How quickly the worker takes and gives up leases. KCL's defaults (10 s failover, a shard
     * sync every minute, which KCL 3 also waits out once at start-up) suit a fleet of workers;
     * a single host that should start consuming within seconds, as Lambda does, needs shorter
     * ones, at the price of more frequent lease renewals and shard listings.
     */
    public record Timing(Duration failover, Duration shardSync) {
        public static final Timing KCL_DEFAULTS = new Timing(Duration.ofSeconds(10), Duration.ofMinutes(1));
        public static final Timing QUICK_START = new Timing(Duration.ofSeconds(3), Duration.ofSeconds(2));
    }

    /** The clients the worker uses; it owns them from {@link #start} on. */
    public record Clients(KinesisAsyncClient kinesis, DynamoDbAsyncClient dynamoDb, CloudWatchAsyncClient cloudWatch) {}

    private final Set<String> hostedShards;
    private final Scheduler scheduler;
    private final Thread worker;
    private final Clients clients;

    private KclHost(Scheduler scheduler, Clients clients, String applicationName, Set<String> hostedShards) {
        this.scheduler = scheduler;
        this.hostedShards = hostedShards;
        this.clients = clients;
        this.worker = new Thread(scheduler, "kcl-host-" + applicationName);
    }

    /**
     * Starts a worker for one function.
     *
     * @param applicationName names the lease table; one per function and stream
     */
    public static KclHost start(
            String applicationName,
            String streamName,
            String streamArn,
            Region region,
            RequestHandler<KinesisEvent, StreamsEventResponse> handler,
            EventSourceMapping settings,
            OnFailureDestination onFailure,
            Clients clients,
            Timing timing) {
        Set<String> hostedShards = ConcurrentHashMap.newKeySet();
        BatchInvoker invoker = new BatchInvoker(
                handler, settings, onFailure, streamArn, region.id(), duration -> Thread.sleep(duration.toMillis()));
        ConfigsBuilder configs = new ConfigsBuilder(
                new SingleStreamTracker(
                        streamName,
                        InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON)),
                applicationName,
                clients.kinesis(),
                clients.dynamoDb(),
                clients.cloudWatch(),
                applicationName + "-" + UUID.randomUUID(),
                () -> new BatchingShardProcessor(invoker, settings, Clock.systemUTC(), hostedShards));
        Scheduler scheduler = new Scheduler(
                configs.checkpointConfig(),
                configs.coordinatorConfig(),
                configs.leaseManagementConfig()
                        .failoverTimeMillis(timing.failover().toMillis())
                        .shardSyncIntervalMillis(timing.shardSync().toMillis()),
                configs.lifecycleConfig(),
                configs.metricsConfig().metricsLevel(MetricsLevel.NONE),
                // Called with no records too, so that a batching window ends on time on a quiet shard.
                configs.processorConfig().callProcessRecordsEvenForEmptyRecordList(true),
                configs.retrievalConfig()
                        .retrievalSpecificConfig(new PollingConfig(streamName, clients.kinesis())
                                .idleTimeBetweenReadsInMillis(POLL_INTERVAL.toMillis())));
        KclHost host = new KclHost(scheduler, clients, applicationName, hostedShards);
        host.worker.setDaemon(true);
        host.worker.start();
        return host;
    }

    /** The shards this worker holds and processes now; empty until it has taken its leases. */
    public Set<String> hostedShards() {
        return Set.copyOf(hostedShards);
    }

    /** Finishes the batches in hand, checkpoints them and stops the worker. */
    @Override
    public void close() {
        try {
            scheduler.startGracefulShutdown().get(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            worker.join(SHUTDOWN_TIMEOUT.toMillis());
        } catch (ExecutionException | TimeoutException e) {
            scheduler.shutdown();
        } catch (InterruptedException e) {
            scheduler.shutdown();
            Thread.currentThread().interrupt();
        } finally {
            clients.kinesis().close();
            clients.dynamoDb().close();
            clients.cloudWatch().close();
        }
    }
}
