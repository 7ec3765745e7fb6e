package org.abctolls.localpipeline;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.abctolls.domain.Customer;
import org.abctolls.domain.Station;
import org.abctolls.domain.StationThreshold;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.LocalKit;
import org.abctolls.localkit.TopicQueues;
import org.abctolls.sim.Emission;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole pipeline on the local kit, composed of parts with one job each: the stack's
 * streams, tables, topics and queues made from its synthesized template ({@link
 * LocalResources}) and seeded with the run's reference data ({@link ReferenceSeed}); the
 * analytics job on an embedded Flink MiniCluster ({@link LocalAnalyticsJob}); both functions
 * on KCL workers ({@link HostedHandlers}); the delivery streams, fed by forwarders on KCL
 * workers too, and the warehouse ({@link LocalWarehouse}); and what comes out, seen as its consumers see it
 * ({@link PipelineObserver}). This class publishes the input and reports progress.
 *
 * <p>{@link #finish} ends a run as the contract ends a bounded input: once the job has read
 * every record, it is stopped with a drained savepoint, which closes every open window, and
 * then the functions are given until they have checkpointed every output record.
 */
public final class LocalPipeline implements AutoCloseable {

    /** The delivery stream whose archive the warehouse loads. */
    static final String ARCHIVE_DELIVERY_STREAM = "Warehouse";

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    /** The reference data a run starts with: uploaded to S3 and seeded into the customers table. */
    public record Reference(List<Station> stations, List<StationThreshold> thresholds, List<Customer> customers) {}

    /**
     * How a local run is set up.
     *
     * @param watermarkBound the job's out-of-orderness bound
     * @param checkpointInterval how often the job checkpoints (on Managed Flink, the application's setting)
     * @param workDir where checkpoints and savepoints are kept
     */
    public record Options(Duration watermarkBound, Duration checkpointInterval, Path workDir) {

        public static Options in(Path workDir, Duration watermarkBound) {
            return new Options(watermarkBound, Duration.ofSeconds(2), workDir);
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

    private final Options options;
    private final KinesisClient kinesis;
    private final DynamoDbClient dynamoDb;
    private final SnsClient sns;
    private final SqsClient sqs;
    private final TollEventsInput input;
    private final String inputStream;
    private final PipelineObserver observer;
    private LocalAnalyticsJob job;
    private HostedHandlers functions;
    private HostedHandlers archive;
    private LocalWarehouse warehouse;
    private volatile boolean inputEnded;
    private boolean closed;

    private LocalPipeline(AwsTarget aws, LocalResources resources, Options options, String prefix) {
        this.options = options;
        this.kinesis = aws.kinesis();
        this.dynamoDb = aws.dynamoDb();
        this.sns = aws.sns();
        this.sqs = aws.sqs();
        this.inputStream = resources.byId("TollEvents").name();
        this.input = new TollEventsInput(kinesis, inputStream);
        this.observer = PipelineObserver.subscribe(resources, prefix, kinesis, sns, sqs);
    }

    /**
     * Deploys the resources (a stack named {@code prefix}, see {@link LocalResources}), loads
     * the reference data, and starts the job and both functions.
     */
    public static LocalPipeline start(
            AwsTarget aws, StackTemplate template, String prefix, Reference reference, Options options)
            throws Exception {
        return start(aws, template, prefix, reference, options, UnaryOperator.identity());
    }

    /** As {@link #start}, with the billing function's DynamoDB client wrapped (a test injects crashes there). */
    static LocalPipeline start(
            AwsTarget aws,
            StackTemplate template,
            String prefix,
            Reference reference,
            Options options,
            UnaryOperator<DynamoDbClient> billingDynamoDb)
            throws Exception {
        LocalResources resources = LocalResources.create(aws, template, prefix);
        LocalPipeline pipeline = new LocalPipeline(aws, resources, options, prefix);
        try {
            try (S3Client s3 = aws.s3()) {
                ReferenceSeed.load(reference, resources, s3, pipeline.dynamoDb);
            }
            pipeline.job = LocalAnalyticsJob.start(aws, resources, options);
            pipeline.functions = HostedHandlers.functions(
                    aws, resources, prefix, pipeline.dynamoDb, pipeline.sns, pipeline.sqs, billingDynamoDb);
            pipeline.archive = HostedHandlers.archiveForwarders(aws, resources, prefix, pipeline.sqs);
            if (aws.warehouse().isPresent()) {
                pipeline.warehouse = LocalWarehouse.start(
                        aws.warehouse().get(),
                        aws.s3(),
                        resources.archiveDestinationOf(ARCHIVE_DELIVERY_STREAM),
                        prefix,
                        LocalKit.find(System.getenv()).repositoryRoot());
            }
            // Records sent from now on meet a running pipeline, as they would on AWS.
            pipeline.job.awaitReading(READY_TIMEOUT);
            pipeline.functions.awaitProcessingEveryShard(pipeline.kinesis);
            pipeline.archive.awaitProcessingEveryShard(pipeline.kinesis);
            return pipeline;
        } catch (Exception | Error e) {
            pipeline.close();
            throw e;
        }
    }

    /** The name of the kit's {@code TollEvents} stream, which the kit's CloudFormation chose. */
    public String inputStream() {
        return inputStream;
    }

    /** Sends records to {@code TollEvents} in order, as the transceivers' gateway would. */
    public void publish(List<Emission> emissions) throws InterruptedException {
        input.publish(emissions);
    }

    /** Sends records in accelerated time, {@code speed} times faster than they arrived. */
    public void publishPaced(List<Emission> emissions, double speed) throws InterruptedException {
        input.publishPaced(emissions, speed);
    }

    /** Locked with {@link #close}, so that a progress tick never meets closed clients. */
    public synchronized PipelineProgress progress() {
        int windowTotals = observer.customerWindowTotals();
        observer.receiveAlerts(Duration.ZERO);
        return new PipelineProgress(
                input.stats().sent(),
                input.stats().retried(),
                inputEnded,
                FlinkGauges.millisBehindLatest(),
                FlinkGauges.watermark(),
                windowTotals,
                observer.billingAlerts().size(),
                observer.lowTrafficAlerts().size(),
                warehouse == null ? Optional.empty() : warehouse.progress(),
                input.newestEventSent());
    }

    /** Cancels the job, as a crash would, and starts it again from its latest completed checkpoint. */
    public void killJobAndRestoreFromLatestCheckpoint() throws Exception {
        job.killAndRestoreFromLatestCheckpoint();
    }

    /**
     * Ends the run: waits until the job has read every record on {@code TollEvents}, stops it
     * with a drained savepoint (every open window closes, as at the end of a bounded input),
     * waits until both functions have checkpointed every record of their streams, then collects
     * what the pipeline produced.
     */
    public Output finish(Duration timeout) throws Exception {
        job.awaitCaughtUp(timeout);
        inputEnded = true;
        job.drain(timeout);
        Instant endOfInput = Instant.now();
        functions.awaitCheckpointedEveryRecord(kinesis, dynamoDb, timeout);
        archive.awaitCheckpointedEveryRecord(kinesis, dynamoDb, timeout);
        Optional<LocalWarehouse.Output> warehouseOutput =
                warehouse == null ? Optional.empty() : Optional.of(warehouse.finish());
        observer.receiveAlerts(Duration.ofSeconds(3));
        return observer.output(dynamoDb, input.rejected(), warehouseOutput, options.watermarkBound(), endOfInput);
    }

    /** Stops whatever still runs: the job (cancelled), then the functions' and forwarders' workers. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (job != null) {
            job.close();
        }
        HostedHandlers.closeAll(
                Stream.of(functions, archive).filter(Objects::nonNull).toList());
        if (warehouse != null) {
            warehouse.close();
        }
        kinesis.close();
        dynamoDb.close();
        sns.close();
        sqs.close();
    }
}
