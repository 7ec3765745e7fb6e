package org.abctolls.analytics;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.abctolls.domain.CustomerWindowTotal;
import org.abctolls.domain.LowTrafficAlert;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TollJson;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.kinesis.sink.KinesisStreamsSink;
import org.apache.flink.connector.kinesis.sink.PartitionKeyGenerator;
import org.apache.flink.metrics.Counter;
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
                        TollJson::write,
                        CustomerWindowTotal::customerId))
                .name("customer-window-totals stream")
                .uid("customer-window-totals-sink");
        outputs.lowTrafficAlerts()
                .sinkTo(sink(
                        settings, settings.lowTrafficAlertsStreamArn(), TollJson::write, LowTrafficAlert::stationId))
                .name("low-traffic-alerts stream")
                .uid("low-traffic-alerts-sink");
        outputs.deadLetters()
                .sinkTo(sink(
                        settings,
                        settings.deadLettersStreamArn(),
                        deadLetter -> deadLetter,
                        deadLetter -> Integer.toHexString(deadLetter.hashCode())))
                .name("dead-letters stream")
                .uid("dead-letters-sink");
        outputs.lateForStations()
                .map(new CountLatePassages())
                .name("count late passages")
                .uid("count-late")
                .sinkTo(new DiscardingSink<>())
                .name("late passages, counted")
                .uid("late-sink");
    }

    /**
     * The connector's polling consumer, the one that version 4.3.0 (the newest for Flink 1.19
     * here) offers as stable; it is a legacy {@code SourceFunction}, hence the suppression.
     */
    @SuppressWarnings("deprecation")
    private static DataStream<String> tollEvents(StreamExecutionEnvironment env, JobSettings settings) {
        Properties consumer = settings.aws().kinesisConnectorProperties();
        consumer.setProperty(
                ConsumerConfigConstants.STREAM_INITIAL_POSITION,
                settings.initialPosition().name());
        return env.addSource(new FlinkKinesisConsumer<>(settings.inputStream(), new SimpleStringSchema(), consumer))
                .name(settings.inputStream() + " stream")
                .uid("toll-events-source");
    }

    private static DataStream<ReferenceDataSnapshot> referenceData(
            StreamExecutionEnvironment env, JobSettings settings) {
        DataGeneratorSource<ReferenceDataSnapshot> polls = new DataGeneratorSource<>(
                new S3ReferenceDataPoller(settings.aws(), settings.referenceData()),
                Long.MAX_VALUE,
                RateLimiterStrategy.perSecond(
                        1.0 / settings.referencePollInterval().toSeconds()),
                TypeInformation.of(ReferenceDataSnapshot.class));
        return env.fromSource(polls, WatermarkStrategy.noWatermarks(), "reference data from S3")
                .setParallelism(1)
                .uid("reference-data-source");
    }

    /** A function from an output to its JSON, which Flink can ship to its tasks. */
    private interface Json<T> extends java.io.Serializable {
        String of(T value);
    }

    private static <T> KinesisStreamsSink<T> sink(
            JobSettings settings, String streamArn, Json<T> json, PartitionKeyGenerator<T> partitionKey) {
        SerializationSchema<T> bytes = value -> json.of(value).getBytes(StandardCharsets.UTF_8);
        return KinesisStreamsSink.<T>builder()
                .setKinesisClientProperties(settings.aws().kinesisConnectorProperties())
                .setStreamArn(streamArn)
                .setSerializationSchema(bytes)
                .setPartitionKeyGenerator(partitionKey)
                .build();
    }

    /** Late passages are billed through revisions; for the station windows they are only counted. */
    static final class CountLatePassages extends RichMapFunction<TollEvent, TollEvent> {
        private static final long serialVersionUID = 1L;
        private transient Counter late;

        @Override
        public void open(OpenContext context) {
            late = getRuntimeContext().getMetricGroup().counter("latePassagesForStations");
        }

        @Override
        public TollEvent map(TollEvent passage) {
            late.inc();
            return passage;
        }
    }
}
