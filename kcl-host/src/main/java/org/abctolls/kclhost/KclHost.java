package org.abctolls.kclhost;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.HashKeyRangeForLease;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.leases.Lease;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.leases.dynamodb.DynamoDBLeaseRefresher;
import software.amazon.kinesis.leases.dynamodb.DynamoDBLeaseSerializer;
import software.amazon.kinesis.leases.exceptions.DependencyException;
import software.amazon.kinesis.leases.exceptions.InvalidStateException;
import software.amazon.kinesis.leases.exceptions.ProvisionedThroughputException;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.processor.SingleStreamTracker;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;
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

    /** As long as KCL itself waits for a new lease table. */
    private static final Duration LEASE_TABLE_TIMEOUT = Duration.ofMinutes(10);

    /**
     * How quickly the worker takes and gives up leases. KCL's defaults (10 s failover, a shard
     * sync every minute, leases assigned every 20 s, and a random wait of 1 to 30 s before the
     * first shard sync on an empty lease table, so that a fleet starting together does not list
     * the stream at once) suit a fleet of workers. A single host that should start consuming
     * within seconds, as Lambda does, needs shorter ones, at the price of more frequent lease
     * renewals, shard listings and lease-table scans, and makes its leases itself before the
     * worker starts ({@code rootLeasesBeforeStart}).
     */
    public record Timing(
            Duration failover, Duration shardSync, Duration leaseAssignment, boolean rootLeasesBeforeStart) {
        public static final Timing KCL_DEFAULTS =
                new Timing(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofSeconds(20), false);
        public static final Timing QUICK_START =
                new Timing(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(1), true);

        public Timing {
            requireAtLeast("failover", failover, Duration.ofSeconds(1));
            requireAtLeast("shardSync", shardSync, Duration.ofSeconds(1));
            // KCL discovers assigned leases every half of this, less 25 ms.
            requireAtLeast("leaseAssignment", leaseAssignment, Duration.ofMillis(100));
        }

        private static void requireAtLeast(String name, Duration value, Duration least) {
            if (value.compareTo(least) < 0) {
                throw new IllegalArgumentException(name + " must be at least " + least + ", was " + value);
            }
        }
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
        SingleStreamTracker stream = new SingleStreamTracker(
                streamName, InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON));
        ConfigsBuilder configs = new ConfigsBuilder(
                stream,
                applicationName,
                clients.kinesis(),
                clients.dynamoDb(),
                clients.cloudWatch(),
                applicationName + "-" + UUID.randomUUID(),
                () -> new BatchingShardProcessor(invoker, settings, Clock.systemUTC(), hostedShards));
        LeaseManagementConfig leases = configs.leaseManagementConfig()
                .failoverTimeMillis(timing.failover().toMillis())
                .shardSyncIntervalMillis(timing.shardSync().toMillis())
                .leaseAssignmentIntervalMillis(timing.leaseAssignment().toMillis());
        if (timing.rootLeasesBeforeStart()) {
            try {
                createRootLeases(leases, streamName, clients.kinesis());
            } catch (RuntimeException e) {
                closeClients(clients);
                throw e;
            }
        }
        Scheduler scheduler = new Scheduler(
                configs.checkpointConfig(),
                configs.coordinatorConfig(),
                leases,
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

    /**
     * Makes the lease table and, for a stream without leases, a lease at {@code TRIM_HORIZON}
     * for each shard whose parents are gone, as KCL's first shard sync would (it would skip a
     * closed parent whose records have all expired; here that parent's lease ends at once and
     * its children follow). The worker then finds leases and skips its random wait before that
     * sync; its own periodic shard sync keeps the leases as KCL keeps them (children after their
     * parents end).
     */
    private static void createRootLeases(LeaseManagementConfig config, String streamName, KinesisAsyncClient kinesis) {
        DynamoDBLeaseRefresher leaseTable = config.leaseManagementFactory(new DynamoDBLeaseSerializer(), false)
                .createLeaseRefresher();
        List<Shard> shards = new ArrayList<>();
        ListShardsResponse page =
                kinesis.listShards(r -> r.streamName(streamName)).join();
        shards.addAll(page.shards());
        while (page.nextToken() != null) {
            String nextToken = page.nextToken();
            page = kinesis.listShards(r -> r.nextToken(nextToken)).join();
            shards.addAll(page.shards());
        }
        Set<String> shardIds = shards.stream().map(Shard::shardId).collect(Collectors.toSet());
        try {
            leaseTable.createLeaseTableIfNotExists();
            if (!leaseTable.waitUntilLeaseTableExists(1, LEASE_TABLE_TIMEOUT.toSeconds())) {
                throw new IllegalStateException("the lease table " + config.tableName() + " did not become active");
            }
            if (!leaseTable.isLeaseTableEmpty()) {
                return;
            }
            for (Shard shard : shards) {
                if (!shardIds.contains(shard.parentShardId()) && !shardIds.contains(shard.adjacentParentShardId())) {
                    leaseTable.createLeaseIfNotExists(rootLease(shard));
                }
            }
        } catch (DependencyException | InvalidStateException | ProvisionedThroughputException e) {
            throw new IllegalStateException(
                    "cannot create the leases of " + streamName + " in " + config.tableName(), e);
        }
    }

    private static Lease rootLease(Shard shard) {
        Lease lease = new Lease();
        lease.leaseKey(shard.shardId());
        lease.parentShardIds(Stream.of(shard.parentShardId(), shard.adjacentParentShardId())
                .filter(Objects::nonNull)
                .toList());
        lease.checkpoint(ExtendedSequenceNumber.TRIM_HORIZON);
        lease.ownerSwitchesSinceCheckpoint(0L);
        lease.hashKeyRange(HashKeyRangeForLease.fromHashKeyRange(shard.hashKeyRange()));
        return lease;
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
            closeClients(clients);
        }
    }

    private static void closeClients(Clients clients) {
        clients.kinesis().close();
        clients.dynamoDb().close();
        clients.cloudWatch().close();
    }
}
