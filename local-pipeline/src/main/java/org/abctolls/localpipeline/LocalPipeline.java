package org.abctolls.localpipeline;

import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.abctolls.analytics.AnalyticsJob;
import org.abctolls.analytics.AwsConnection;
import org.abctolls.analytics.JobSettings;
import org.abctolls.domain.Customer;
import org.abctolls.domain.DeadLetter;
import org.abctolls.domain.ReferenceData;
import org.abctolls.domain.Station;
import org.abctolls.domain.StationThreshold;
import org.abctolls.domain.TollEventParseResult;
import org.abctolls.domain.TollEventRules;
import org.abctolls.domain.TollJson;
import org.abctolls.functions.BillingConfig;
import org.abctolls.functions.BillingLedger;
import org.abctolls.functions.BillingThresholdHandler;
import org.abctolls.functions.LowTrafficConfig;
import org.abctolls.functions.LowTrafficHandler;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.KinesisStreams;
import org.abctolls.localkit.LocalKit;
import org.abctolls.localkit.TopicQueues;
import org.abctolls.sim.Emission;
import org.abctolls.sim.KinesisPublisher;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole pipeline on the local kit: the stack's streams, tables, topics and queues made
 * from its synthesized template ({@link LocalResources}), the analytics job on an embedded
 * Flink MiniCluster reading {@code TollEvents}, and both functions hosted on KCL workers with
 * their event source mappings' settings. What the functions publish is observed through a
 * queue subscribed to each topic, as an operator's or customer's endpoint would receive it.
 *
 * <p>{@link #finish} ends a run as the contract ends a bounded input: once the job has read
 * every record, it is stopped with a drained savepoint, which closes every open window, and
 * then the functions are given until they have checkpointed every output record.
 */
public final class LocalPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalPipeline.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String BILLING_FUNCTION = "BillingThreshold";
    public static final String LOW_TRAFFIC_FUNCTION = "LowTraffic";
    /** The delivery stream whose archive the warehouse loads. */
    static final String ARCHIVE_DELIVERY_STREAM = "Warehouse";

    private static final Duration PACING_TICK = Duration.ofMillis(50);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    /** The reference data a run starts with: uploaded to S3 and seeded into the customers table. */
    public record Reference(List<Station> stations, List<StationThreshold> thresholds, List<Customer> customers) {}

    /**
     * How a local run is set up.
     *
     * @param watermarkBound the job's out-of-orderness bound
     * @param checkpointInterval how often the job checkpoints (on Managed Flink, the application's setting)
     * @param workDir where checkpoints and savepoints are kept
     * @param billingDynamoDb wraps the billing function's DynamoDB client; a test injects crashes here
     */
    public record Options(
            Duration watermarkBound,
            Duration checkpointInterval,
            Path workDir,
            UnaryOperator<DynamoDbClient> billingDynamoDb) {

        public static Options in(Path workDir) {
            return new Options(Duration.ofSeconds(60), Duration.ofSeconds(2), workDir, client -> client);
        }

        public Options withBillingDynamoDb(UnaryOperator<DynamoDbClient> wrapper) {
            return new Options(watermarkBound, checkpointInterval, workDir, wrapper);
        }

        public Options withWatermarkBound(Duration bound) {
            return new Options(bound, checkpointInterval, workDir, billingDynamoDb);
        }
    }

    /** A run's state, for a progress line. */
    public record Progress(
            long published,
            long publishRetries,
            boolean inputEnded,
            OptionalLong jobBehindMillis,
            Optional<Instant> watermark,
            int customerWindowTotals,
            int billingAlerts,
            int lowTrafficAlerts,
            Optional<LocalWarehouse.Progress> warehouse,
            Optional<Instant> newestEventSent) {

        /** How far the newest passage in the warehouse is behind the newest sent, in event time. */
        public Optional<Duration> warehouseBehind() {
            return warehouse
                    .flatMap(LocalWarehouse.Progress::newestPassage)
                    .flatMap(loaded -> newestEventSent.map(sent -> Duration.between(loaded, sent)));
        }
    }

    /** What a finished run produced. */
    public record Output(
            List<TopicQueues.Received> billingAlerts,
            List<TopicQueues.Received> lowTrafficAlerts,
            Map<String, Map<YearMonth, Long>> monthlyTotals,
            List<String> rejected,
            List<String> failedBatches,
            AlertLatency.Summary billingLatency,
            AlertLatency.Summary lowTrafficLatency,
            Optional<LocalWarehouse.Output> warehouse,
            AlertLatency.Summary warehouseLatency) {}

    private final AwsTarget aws;
    private final LocalResources resources;
    private final Options options;
    private final String prefix;
    private final KinesisClient kinesis;
    private final DynamoDbClient dynamoDb;
    private final SnsClient sns;
    private final SqsClient sqs;
    private final KinesisPublisher publisher;
    private final String billingObserver;
    private final String lowTrafficObserver;
    private final List<TopicQueues.Received> billingAlerts = new ArrayList<>();
    private final List<TopicQueues.Received> lowTrafficAlerts = new ArrayList<>();
    private final Map<String, HostedHandler> hosts = new LinkedHashMap<>();
    private LocalArchive archive;
    private LocalWarehouse warehouse;
    private volatile Instant newestEventSent;
    private KinesisStreams.Tail customerWindowTotals;
    private JobClient job;
    private volatile boolean inputEnded;
    private boolean jobFinished;
    private boolean closed;

    private LocalPipeline(AwsTarget aws, LocalResources resources, Options options, String prefix) {
        this.aws = aws;
        this.resources = resources;
        this.options = options;
        this.prefix = prefix;
        this.kinesis = aws.kinesis();
        this.dynamoDb = aws.dynamoDb();
        this.sns = aws.sns();
        this.sqs = aws.sqs();
        this.publisher = new KinesisPublisher(
                kinesis::putRecords,
                resources.byId("TollEvents").name(),
                KinesisPublisher.RetryPolicy.DEFAULT,
                duration -> Thread.sleep(duration.toMillis()),
                new Random());
        this.billingObserver = TopicQueues.subscribeNewQueue(
                sns, sqs, resources.byId("CustomerNotifications").arn(), prefix + "-customer-inbox");
        this.lowTrafficObserver = TopicQueues.subscribeNewQueue(
                sns, sqs, resources.byId("OperatorAlerts").arn(), prefix + "-operator-inbox");
    }

    /**
     * Makes the resources (named {@code <prefix>-<construct id>}), loads the reference data,
     * and starts the job and both functions.
     */
    public static LocalPipeline start(
            AwsTarget aws, StackTemplate template, String prefix, Reference reference, Options options)
            throws Exception {
        LocalResources resources = LocalResources.create(aws, template, prefix);
        LocalPipeline pipeline = new LocalPipeline(aws, resources, options, prefix);
        try {
            pipeline.load(reference);
            pipeline.job = pipeline.startJob(null);
            pipeline.startFunctions();
            pipeline.archive = LocalArchive.start(aws, resources, prefix, pipeline.sqs);
            if (aws.warehouse().isPresent()) {
                pipeline.warehouse = LocalWarehouse.start(
                        aws.warehouse().get(),
                        aws.s3(),
                        resources.archiveDestinationOf(ARCHIVE_DELIVERY_STREAM),
                        prefix,
                        LocalKit.find(System.getenv()).repositoryRoot());
            }
            pipeline.awaitReady();
            pipeline.customerWindowTotals = KinesisStreams.tail(
                    pipeline.kinesis, resources.byId("CustomerWindowTotals").name());
            return pipeline;
        } catch (Exception | Error e) {
            pipeline.close();
            throw e;
        }
    }

    private void load(Reference reference) {
        StringWriter stations = new StringWriter();
        ReferenceData.writeStations(stations, reference.stations());
        StringWriter thresholds = new StringWriter();
        ReferenceData.writeStationThresholds(thresholds, reference.thresholds());
        String bucket = resources.byId("ReferenceData").name();
        try (S3Client s3 = aws.s3()) {
            s3.putObject(
                    r -> r.bucket(bucket).key(ReferenceData.STATIONS_FILE),
                    RequestBody.fromString(stations.toString()));
            s3.putObject(
                    r -> r.bucket(bucket).key(ReferenceData.STATION_THRESHOLDS_FILE),
                    RequestBody.fromString(thresholds.toString()));
        }
        String customersTable = resources.byId("Customers").name();
        for (Customer customer : reference.customers()) {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("customerId", AttributeValue.fromS(customer.customerId()));
            customer.monthlyThresholdCents()
                    .ifPresent(cents -> item.put("monthlyThresholdCents", AttributeValue.fromN(Long.toString(cents))));
            dynamoDb.putItem(r -> r.tableName(customersTable).item(item));
        }
    }

    private JobClient startJob(String restoreFrom) throws Exception {
        Configuration configuration = new Configuration();
        configuration.setString(FlinkGauges.CONFIG_PREFIX + "factory.class", FlinkGauges.Factory.class.getName());
        configuration.setString("state.checkpoints.dir", checkpoints().toUri().toString());
        configuration.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        if (restoreFrom != null) {
            configuration.setString("execution.savepoint.path", restoreFrom);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, configuration);
        env.enableCheckpointing(options.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        AnalyticsJob.define(env, JobSettings.from(jobProperties()));
        JobClient started = env.executeAsync("ABC Tolls analytics (local)");
        LOG.info("analytics job {} started{}", started.getJobID(), restoreFrom == null ? "" : " from " + restoreFrom);
        return started;
    }

    /**
     * The runtime properties the stack gives the job, resolved to the kit's resources; plus a
     * watermark after every record and a one-second reference-data poll, so that a local run
     * judges lateness record by record, as the simulator's oracle does.
     */
    private Properties jobProperties() {
        // Against an emulator the job gets the kit's dummy keys; against AWS, the default chain.
        AwsCredentials credentials = aws.credentials().resolveCredentials();
        Properties properties = JobSettings.awsProperties(new AwsConnection(
                aws.region().id(),
                aws.endpoint("kinesis").orElse(null),
                aws.endpoint("s3").orElse(null),
                aws.isEmulated() ? AwsConnection.Credentials.BASIC : AwsConnection.Credentials.AUTO,
                credentials.accessKeyId(),
                credentials.secretAccessKey()));
        properties.setProperty("input.stream", resources.byId("TollEvents").name());
        properties.setProperty(
                "output.customer-window-totals.stream-arn",
                resources.byId("CustomerWindowTotals").arn());
        properties.setProperty(
                "output.low-traffic-alerts.stream-arn",
                resources.byId("LowTrafficAlerts").arn());
        properties.setProperty(
                "output.dead-letters.stream-arn",
                resources.byId("AnalyticsDeadLetters").arn());
        properties.setProperty(
                "reference.bucket", resources.byId("ReferenceData").name());
        properties.setProperty("reference.poll-interval", "PT1S");
        properties.setProperty("watermark.bound", options.watermarkBound().toString());
        properties.setProperty("watermark.after-every-record", "true");
        return properties;
    }

    private void startFunctions() {
        BillingConfig billing = BillingConfig.fromEnvironment(resources.environmentOf(BILLING_FUNCTION));
        hosts.put(
                BILLING_FUNCTION,
                host(
                        BILLING_FUNCTION,
                        new BillingThresholdHandler(
                                billing, options.billingDynamoDb().apply(dynamoDb), sns, sqs)));
        LowTrafficConfig lowTraffic = LowTrafficConfig.fromEnvironment(resources.environmentOf(LOW_TRAFFIC_FUNCTION));
        hosts.put(
                LOW_TRAFFIC_FUNCTION,
                host(LOW_TRAFFIC_FUNCTION, new LowTrafficHandler(lowTraffic, dynamoDb, sns, sqs)));
    }

    private HostedHandler host(String function, RequestHandler<KinesisEvent, StreamsEventResponse> handler) {
        return HostedHandler.start(
                aws,
                function,
                leaseTable(function),
                resources.sourceOf(function),
                handler,
                resources.eventSourceMappingOf(function),
                sqs,
                resources.onFailureOf(function).url());
    }

    /**
     * Ready when the job reads its stream and each function's worker processes every shard of
     * its own: records sent from then on meet a running pipeline, as they would on AWS.
     */
    private void awaitReady() {
        await("the analytics job to read TollEvents")
                .atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> FlinkGauges.millisBehindLatest().isPresent());
        hosts.values().forEach(host -> host.awaitProcessingEveryShard(kinesis));
        archive.awaitReady(kinesis);
    }

    private String leaseTable(String function) {
        return prefix + "-" + function;
    }

    /**
     * Sends records to {@code TollEvents} in order, as the transceivers' gateway would; one that
     * Kinesis cannot take (over its record limit) is kept back, rejected by the producer.
     */
    public void publish(List<Emission> emissions) throws InterruptedException {
        publisher.publish(emissions);
        Instant latestAcceptable =
                TollEventRules.latestAcceptableEventTime(Instant.now(), TollEventRules.DEFAULT_FUTURE_TOLERANCE);
        for (Emission emission : emissions) {
            if (TollJson.parseTollEvent(emission.data(), latestAcceptable) instanceof TollEventParseResult.Valid valid
                    && (newestEventSent == null || valid.event().eventTime().isAfter(newestEventSent))) {
                newestEventSent = valid.event().eventTime();
            }
        }
        if (publisher.stats().failed() > 0) {
            throw new IllegalStateException(
                    publisher.stats().failed() + " records could not be sent to Kinesis after every retry");
        }
    }

    /**
     * Sends records in accelerated time: each when the simulated clock, running {@code speed}
     * times faster than the wall clock from the first record's arrival, reaches its arrival.
     */
    public void publishPaced(List<Emission> emissions, double speed) throws InterruptedException {
        if (emissions.isEmpty()) {
            return;
        }
        Instant first = emissions.get(0).arrival();
        long start = System.nanoTime();
        int next = 0;
        while (next < emissions.size()) {
            Instant simulatedNow = first.plusNanos((long) ((System.nanoTime() - start) * speed));
            int due = next;
            while (due < emissions.size() && !emissions.get(due).arrival().isAfter(simulatedNow)) {
                due++;
            }
            if (due > next) {
                publish(emissions.subList(next, due));
                next = due;
            } else {
                Thread.sleep(PACING_TICK.toMillis());
            }
        }
    }

    public synchronized Progress progress() {
        int windowTotals = customerWindowTotals.poll();
        receiveAlerts(Duration.ZERO);
        OptionalLong watermark = FlinkGauges.watermark();
        return new Progress(
                publisher.stats().sent(),
                publisher.stats().retried(),
                inputEnded,
                FlinkGauges.millisBehindLatest(),
                watermark.isPresent()
                        ? Optional.of(Instant.ofEpochMilli(Math.max(0, watermark.getAsLong())))
                        : Optional.empty(),
                windowTotals,
                billingAlerts.size(),
                lowTrafficAlerts.size(),
                warehouseProgress(),
                Optional.ofNullable(newestEventSent));
    }

    private Optional<LocalWarehouse.Progress> warehouseProgress() {
        if (warehouse == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(warehouse.progress());
        } catch (SQLException e) {
            LOG.warn("cannot read the warehouse's progress", e);
            return Optional.empty();
        }
    }

    private synchronized void receiveAlerts(Duration quiet) {
        billingAlerts.addAll(TopicQueues.drain(sqs, billingObserver, quiet));
        lowTrafficAlerts.addAll(TopicQueues.drain(sqs, lowTrafficObserver, quiet));
    }

    /**
     * Cancels the job, as a crash would, and starts it again from its latest completed
     * checkpoint: the consumer resumes from the checkpointed shard positions, the windows and
     * the de-duplication from their checkpointed state.
     */
    public void killJobAndRestoreFromLatestCheckpoint() throws Exception {
        await("a completed checkpoint of job " + job.getJobID())
                .atMost(Duration.ofMinutes(2))
                .until(() -> latestCheckpoint().isPresent());
        job.cancel().get(2, TimeUnit.MINUTES);
        try {
            job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
        } catch (ExecutionException cancelled) {
            LOG.info(
                    "analytics job {} killed: {}",
                    job.getJobID(),
                    cancelled.getCause().getMessage());
        }
        String checkpoint = latestCheckpoint().orElseThrow().toUri().toString();
        job = startJob(checkpoint);
    }

    private Path checkpoints() {
        return options.workDir().resolve("checkpoints").toAbsolutePath();
    }

    private Optional<Path> latestCheckpoint() throws IOException {
        Path jobCheckpoints = checkpoints().resolve(job.getJobID().toHexString());
        if (!Files.isDirectory(jobCheckpoints)) {
            return Optional.empty();
        }
        try (Stream<Path> candidates = Files.list(jobCheckpoints)) {
            return candidates
                    .filter(dir -> dir.getFileName().toString().startsWith("chk-"))
                    .filter(dir -> Files.exists(dir.resolve("_metadata")))
                    .max(Comparator.comparingLong(
                            dir -> Long.parseLong(dir.getFileName().toString().substring(4))));
        }
    }

    /**
     * Ends the run: waits until the job has read every record on {@code TollEvents}, stops it
     * with a drained savepoint (every open window closes, as at the end of a bounded input),
     * waits until both functions have checkpointed every record of their streams, then collects
     * what the pipeline produced.
     */
    public Output finish(Duration timeout) throws Exception {
        awaitJobCaughtUp(timeout);
        inputEnded = true;
        String savepoint = job.stopWithSavepoint(
                        true, options.workDir().resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Instant endOfInput = Instant.now();
        jobFinished = true;
        LOG.info("analytics job drained into {}", savepoint);
        for (HostedHandler function : hosts.values()) {
            function.awaitCheckpointedEveryRecord(kinesis, dynamoDb, timeout);
        }
        archive.awaitArchived(kinesis, dynamoDb, timeout);
        Optional<LocalWarehouse.Output> warehouseOutput =
                warehouse == null ? Optional.empty() : Optional.of(warehouse.finish());
        receiveAlerts(Duration.ofSeconds(3));
        List<TopicQueues.Received> billingReceived;
        List<TopicQueues.Received> lowTrafficReceived;
        synchronized (this) {
            billingReceived = List.copyOf(billingAlerts);
            lowTrafficReceived = List.copyOf(lowTrafficAlerts);
        }
        List<Record> input = inputRecords();
        AlertLatency latency = new AlertLatency(input, options.watermarkBound(), endOfInput);
        return new Output(
                billingReceived,
                lowTrafficReceived,
                BillingLedger.monthlyTotalsOfEveryCustomer(
                        dynamoDb, resources.byId("Ledger").name()),
                rejected(),
                TopicQueues.drain(sqs, resources.byId("BatchesOnFailure").url(), Duration.ofSeconds(1)).stream()
                        .map(TopicQueues.Received::body)
                        .toList(),
                latency.summarize(billingReceived, json -> TollJson.readBillingThresholdAlert(json)
                        .crossedInWindowEnd()),
                latency.summarize(lowTrafficReceived, json -> TollJson.readLowTrafficAlert(json)
                        .windowEnd()),
                warehouseOutput,
                warehouseOutput
                        .map(loaded -> warehouseLatency(input, loaded))
                        .orElse(AlertLatency.Summary.of(List.of())));
    }

    /**
     * From a record's arrival on {@code TollEvents} (its first sighting) to the moment its
     * passage was queryable in the warehouse.
     */
    private static AlertLatency.Summary warehouseLatency(List<Record> input, LocalWarehouse.Output loaded) {
        Map<String, Instant> firstArrival = new HashMap<>();
        for (Record record : input) {
            if (TollJson.parseTollEvent(record.data().asByteArrayUnsafe(), Instant.MAX)
                    instanceof TollEventParseResult.Valid valid) {
                firstArrival.putIfAbsent(valid.event().eventId(), record.approximateArrivalTimestamp());
            }
        }
        List<Duration> latencies = new ArrayList<>();
        loaded.loadedAt().forEach((eventId, queryable) -> Optional.ofNullable(firstArrival.get(eventId))
                .ifPresent(arrival -> latencies.add(Duration.between(arrival, queryable))));
        return AlertLatency.Summary.of(latencies);
    }

    /**
     * Caught up when every shard's reader reports itself at the stream's tip twice in a row,
     * a second apart, so that a reading taken before the last records arrived does not count.
     */
    private void awaitJobCaughtUp(Duration timeout) {
        int[] atTip = {0};
        await("the analytics job to read every record on TollEvents")
                .atMost(timeout)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    OptionalLong behind = FlinkGauges.millisBehindLatest();
                    atTip[0] = behind.isPresent() && behind.getAsLong() == 0 ? atTip[0] + 1 : 0;
                    return atTip[0] >= 2;
                });
    }

    /** Every record the pipeline refused, as JSON with its reason and the stage that refused it. */
    private List<String> rejected() {
        List<String> rejected = new ArrayList<>();
        for (DeadLetter kept : publisher.rejected()) {
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

    private static String withStage(String json, String stage) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(json);
            node.put("rejectedBy", stage);
            return node.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("a dead letter that is not JSON: " + json, e);
        }
    }

    /** Every record on {@code TollEvents}, with the instant Kinesis received it. */
    private List<Record> inputRecords() {
        KinesisStreams.Tail input =
                KinesisStreams.tail(kinesis, resources.byId("TollEvents").name());
        input.poll();
        return input.recordsByShard().values().stream().flatMap(List::stream).toList();
    }

    /** Stops whatever still runs: the job (cancelled), then the functions' workers. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (job != null && !jobFinished) {
            try {
                job.cancel().get(1, TimeUnit.MINUTES);
            } catch (Exception e) {
                LOG.warn("could not cancel the analytics job", e);
            }
        }
        List<HostedHandler> workers = new ArrayList<>(hosts.values());
        if (archive != null) {
            workers.addAll(archive.forwarders());
        }
        HostedHandler.closeAll(workers);
        if (archive != null) {
            archive.close();
        }
        if (warehouse != null) {
            warehouse.close();
        }
        kinesis.close();
        dynamoDb.close();
        sns.close();
        sqs.close();
    }
}
