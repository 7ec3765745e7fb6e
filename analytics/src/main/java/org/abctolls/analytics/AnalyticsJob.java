package org.abctolls.analytics;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.abctolls.domain.CustomerWindowTotal;
import org.abctolls.domain.DeadLetter;
import org.abctolls.domain.LowTrafficAlert;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TollJson;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.kinesis.sink.KinesisStreamsSink;
import org.apache.flink.connector.kinesis.sink.PartitionKeyGenerator;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.connectors.kinesis.FlinkKinesisConsumer;
import org.apache.flink.streaming.connectors.kinesis.config.ConsumerConfigConstants;

/**
 * The analytics job as deployed: toll events from Kinesis through {@link TollTopology} to the
 * output streams, with the reference data polled from S3.
 *
 * <p>On Managed Service for Apache Flink it runs without arguments and reads its settings
 * from the runtime property group {@value JobSettings#PROPERTY_GROUP}; the service owns
 * checkpointing and parallelism. Run locally, it takes {@code --properties FILE} and
 * checkpoints every {@code checkpoint.interval} itself.
 */
public final class AnalyticsJob {

    /** Dead letters are spread over the stream's shards by the record's digest: this many of its hex digits. */
    private static final int DEAD_LETTER_KEY_LENGTH = 16;

    /**
     * How long an output record may wait in the sink for a fuller PutRecords call: the
     * connector's default is 5 seconds, which a rare alert would spend waiting. Kinesis charges
     * by payload, not by call, so smaller calls cost nothing more.
     */
    static final Duration SINK_MAX_TIME_IN_BUFFER = Duration.ofMillis(100);

    /**
     * How often the consumer reads each shard of the input. A shard serves 5 GetRecords calls a
     * second to all its polling readers together, and the warehouse's delivery stream reads it
     * once a second too: the connector's default of 200 ms would take all 5, so that reads are
     * throttled, and one throttled four times in a row (the connector's three retries) fails the
     * job. At 500 ms the two readers take 3, for 0.15 s more latency on average.
     */
    static final Duration SHARD_READ_INTERVAL = Duration.ofMillis(500);

    /**
     * The most records one read of a shard returns. A shard also serves at most 2 MB a second to
     * its readers together, and a read that takes more is followed by throttled ones: the
     * connector's default of 10,000 records (about 2 MB of the contract's records) would take it
     * all in one read while catching up after a restart, and the delivery stream's reads and the
     * job's next ones would be throttled until the job fails. Two reads a second of 2,000 take
     * about 1 MB, and still catch up four times faster than a shard can be written (1,000
     * records a second).
     */
    static final int RECORDS_PER_READ = 2_000;

    private AnalyticsJob() {}

    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobSettings settings;
        if (args.length == 0) {
            Properties group =
                    KinesisAnalyticsRuntime.getApplicationProperties().get(JobSettings.PROPERTY_GROUP);
            if (group == null) {
                throw new IllegalArgumentException("no runtime property group " + JobSettings.PROPERTY_GROUP
                        + "; run locally with --properties FILE");
            }
            settings = JobSettings.from(group);
        } else if (args.length == 2 && args[0].equals("--properties")) {
            settings = JobSettings.from(readProperties(Path.of(args[1])));
            env.enableCheckpointing(settings.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        } else {
            throw new IllegalArgumentException("usage: AnalyticsJob [--properties FILE]");
        }
        define(env, settings);
        env.execute("ABC Tolls analytics");
    }

    private static Properties readProperties(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }

    /** Adds the whole job, sources to sinks, to the environment. */
    public static void define(StreamExecutionEnvironment env, JobSettings settings) {
        TollTopology.Outputs outputs =
                TollTopology.build(tollEvents(env, settings), referenceData(env, settings), settings.job());

        outputs.customerWindowTotals()
                .sinkTo(sink(
                        settings,
                        settings.customerWindowTotalsStreamArn(),
                        total -> TollJson.write(total).getBytes(StandardCharsets.UTF_8),
                        CustomerWindowTotal::customerId))
                .name("customer-window-totals stream")
                .uid("customer-window-totals-sink");
        outputs.lowTrafficAlerts()
                .sinkTo(sink(
                        settings,
                        settings.lowTrafficAlertsStreamArn(),
                        alert -> TollJson.write(alert).getBytes(StandardCharsets.UTF_8),
                        LowTrafficAlert::stationId))
                .name("low-traffic-alerts stream")
                .uid("low-traffic-alerts-sink");
        outputs.rejected()
                .sinkTo(sink(
                        settings,
                        settings.deadLettersStreamArn(),
                        AnalyticsJob::deadLetter,
                        rejected -> rejected.deadLetter().sha256().substring(0, DEAD_LETTER_KEY_LENGTH)))
                .name("dead-letters stream")
                .uid("dead-letters-sink");
        outputs.lateForStations()
                .map(new CountLatePassages(), TollEventTypeInfo.INSTANCE)
                .name("count late passages")
                .uid("count-late")
                .sinkTo(new DiscardingSink<>())
                .name("late passages, counted")
                .uid("late-sink");
    }

    /**
     * A dead letter within Firehose's record limit, which the delivery stream that archives the
     * dead letters can take, and so within Kinesis' limit with the partition key: it never fails
     * the sink, and is archived whole.
     */
    static byte[] deadLetter(InputRecord rejected) {
        return rejected.deadLetter().toJson(DeadLetter.FIREHOSE_RECORD_LIMIT).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The connector's polling consumer, the one that version 4.3.0 (the newest for Flink 1.19
     * here) offers as stable; it is a legacy {@code SourceFunction}, hence the suppression. The
     * job's records are parsed as they are read ({@link TollRecordSchema}). Watermarks come
     * after every passage for an input read in one order, or else per shard from the consumer,
     * which also lets a shard idle for {@code watermark.idle-timeout} stop holding them back.
     */
    @SuppressWarnings("deprecation")
    private static DataStream<InputRecord> tollEvents(StreamExecutionEnvironment env, JobSettings settings) {
        JobConfig job = settings.job();
        FlinkKinesisConsumer<InputRecord> source = new FlinkKinesisConsumer<>(
                settings.inputStream(), new TollRecordSchema(job.futureTolerance()), consumerProperties(settings));
        if (!job.watermarkAfterEveryRecord()) {
            source.setPeriodicWatermarkAssigner(new PassageWatermarksPerShard(job.watermarkBound()));
        }
        DataStream<InputRecord> records =
                env.addSource(source).name(settings.inputStream() + " stream").uid("toll-events-source");
        return job.watermarkAfterEveryRecord() ? TollTopology.watermarkedInReadOrder(records, job) : records;
    }

    /** The input consumer's settings: the connection's, then where it starts and how often and how much it reads. */
    static Properties consumerProperties(JobSettings settings) {
        Properties consumer = settings.aws().kinesisConnectorProperties();
        consumer.setProperty(
                ConsumerConfigConstants.STREAM_INITIAL_POSITION,
                settings.initialPosition().name());
        consumer.setProperty(
                ConsumerConfigConstants.SHARD_GETRECORDS_INTERVAL_MILLIS,
                Long.toString(SHARD_READ_INTERVAL.toMillis()));
        consumer.setProperty(ConsumerConfigConstants.SHARD_GETRECORDS_MAX, Integer.toString(RECORDS_PER_READ));
        if (!settings.job().watermarkAfterEveryRecord()) {
            consumer.setProperty(
                    ConsumerConfigConstants.SHARD_IDLE_INTERVAL_MILLIS,
                    Long.toString(settings.job().idleTimeout().toMillis()));
        }
        return consumer;
    }

    private static DataStream<ReferenceDataSnapshot> referenceData(
            StreamExecutionEnvironment env, JobSettings settings) {
        DataGeneratorSource<ReferenceDataSnapshot> polls = new DataGeneratorSource<>(
                new S3ReferenceDataPoller(settings.aws(), settings.referenceData()),
                Long.MAX_VALUE,
                RateLimiterStrategy.perSecond(settings.referencePollsPerSecond()),
                TypeInformation.of(ReferenceDataSnapshot.class));
        return env.fromSource(polls, WatermarkStrategy.noWatermarks(), "reference data from S3")
                .setParallelism(1)
                .uid("reference-data-source");
    }

    private static <T> KinesisStreamsSink<T> sink(
            JobSettings settings,
            String streamArn,
            SerializationSchema<T> bytes,
            PartitionKeyGenerator<T> partitionKey) {
        return KinesisStreamsSink.<T>builder()
                .setKinesisClientProperties(settings.aws().kinesisConnectorProperties())
                .setStreamArn(streamArn)
                .setSerializationSchema(bytes)
                .setPartitionKeyGenerator(partitionKey)
                .setMaxTimeInBufferMS(SINK_MAX_TIME_IN_BUFFER.toMillis())
                // One PutRecords call at a time: Kinesis orders concurrent calls to a shard as they
                // land, so a customer's windows could reach the billing function out of order and
                // an alert name the wrong window as the one that crossed the threshold (seen with
                // the 100 ms buffer in HostileInputIT).
                .setMaxInFlightRequests(1)
                .build();
    }

    /**
     * Late passages are billed (through revisions, or alone); for the station windows they are
     * only counted: in all, and per second over the last minute. Managed Flink sends to
     * CloudWatch the metrics of the {@code kinesisanalytics} group (the stack alarms on the rate).
     */
    static final class CountLatePassages extends RichMapFunction<TollEvent, TollEvent> {
        private static final long serialVersionUID = 1L;
        static final String METRIC_GROUP = "kinesisanalytics";
        static final String COUNT = "latePassagesForStations";
        static final String RATE = "latePassagesForStationsPerSecond";
        private transient Counter late;

        @Override
        public void open(OpenContext context) {
            MetricGroup group = getRuntimeContext().getMetricGroup().addGroup(METRIC_GROUP);
            late = group.counter(COUNT);
            group.meter(RATE, new MeterView(late, 60));
        }

        @Override
        public TollEvent map(TollEvent passage) {
            late.inc();
            return passage;
        }
    }
}
