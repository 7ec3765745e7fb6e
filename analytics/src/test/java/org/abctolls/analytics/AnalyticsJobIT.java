package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.abctolls.domain.ReferenceData;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TollEventParseResult;
import org.abctolls.domain.TollEventRules;
import org.abctolls.domain.TollJson;
import org.abctolls.domain.TumblingWindow;
import org.abctolls.domain.VehicleClass;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.KinesisStreams;
import org.abctolls.localkit.LocalAwsExtension;
import org.abctolls.localkit.UniqueNames;
import org.abctolls.sim.Emission;
import org.abctolls.sim.Generator;
import org.abctolls.sim.KinesisPublisher;
import org.abctolls.sim.Oracle;
import org.abctolls.sim.Simulation;
import org.abctolls.sim.SimulationOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The deployed job, end to end on the local kit: a simulated day with every scenario on,
 * hostile records included, goes into a Kinesis stream; the jar the stack deploys runs its
 * {@code main} on Java 11, the JVM of Managed Flink's 1.x runtimes, reading the stream with the
 * Kinesis connector and the reference data from S3; and what it writes to its three output
 * streams must be exactly what the simulator's oracle computed.
 *
 * <p>One shard and parallelism 1, because only there is the order in which the job reads the
 * records the order the oracle assumes, so that "late" means the same to both.
 */
@ExtendWith(LocalAwsExtension.class)
class AnalyticsJobIT {

    /** The jar the stack deploys (PipelineSettings.ANALYTICS_JAR), as the build leaves it. */
    private static final Path DEPLOYED_JAR = Path.of("target", "abc-tolls-analytics.jar");

    private static final Duration WATERMARK_BOUND = TumblingWindow.DEFAULT_WATERMARK_BOUND;
    private static final SimulationOptions DAY = SimulationOptions.defaults()
            .withSeed(20261122)
            .withTraffic(SimulationOptions.DEFAULT_START, Duration.ofDays(1), 10, 500, 60)
            .withScenarios(SimulationOptions.Scenarios.ALL.withHostile(true))
            .withWatermarkBound(WATERMARK_BOUND);

    @Test
    void theDeployedJarOnJava11TurnsASimulatedDayIntoExactlyTheOraclesOutputs(AwsTarget aws, @TempDir Path work)
            throws Exception {
        Simulation simulation = Generator.generate(DAY);
        Oracle.Result oracle = Oracle.of(simulation, WATERMARK_BOUND);
        assertThat(oracle.malformed()).isPositive();
        assertThat(oracle.duplicates()).isPositive();
        assertThat(oracle.lateForStations()).isPositive();
        assertThat(oracle.lowTrafficAlerts()).isNotEmpty();

        try (KinesisClient kinesis = aws.kinesis();
                S3Client s3 = aws.s3()) {
            Streams streams = Streams.create(kinesis);
            String bucket = UniqueNames.of("reference-data");
            s3.createBucket(request -> request.bucket(bucket));
            putReferenceData(s3, bucket, simulation);

            publish(kinesis, streams.input(), simulation.emissions(), closingPassage(simulation.emissions()));

            Process job = startDeployedJar(jobProperties(aws, kinesis, streams, bucket), work);
            try {
                KinesisStreams.Tail totals = KinesisStreams.tail(kinesis, streams.totals());
                KinesisStreams.Tail alerts = KinesisStreams.tail(kinesis, streams.alerts());
                KinesisStreams.Tail deadLetters = KinesisStreams.tail(kinesis, streams.deadLetters());
                Map<String, Long> expectedMonthlyTotals = oracle.monthlyTotals().stream()
                        .collect(Collectors.toMap(
                                total -> total.customerId() + " " + total.month(), Oracle.MonthlyTotal::totalCents));

                await("the job's outputs to reach the oracle's")
                        .failFast("the job stopped", () -> !job.isAlive())
                        .atMost(Duration.ofMinutes(5))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> {
                            totals.poll();
                            alerts.poll();
                            deadLetters.poll();
                            return monthlyTotals(totals.texts()).equals(expectedMonthlyTotals)
                                    && alerts.texts().size()
                                            >= oracle.lowTrafficAlerts().size()
                                    && deadLetters.texts().size() >= oracle.malformed();
                        });
                // A window the job closed a moment ago may still be on its way: only once the
                // outputs have stopped growing can "exactly the oracle's" be judged.
                AtomicInteger recordsRead = new AtomicInteger(-1);
                await("the job's outputs to stop growing")
                        .during(Duration.ofSeconds(3))
                        .atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            int now = totals.poll() + alerts.poll() + deadLetters.poll();
                            return recordsRead.getAndSet(now) == now;
                        });

                assertThat(monthlyTotals(totals.texts())).isEqualTo(expectedMonthlyTotals);
                assertThat(alerts.texts().stream().map(TollJson::readLowTrafficAlert))
                        .containsExactlyInAnyOrderElementsOf(oracle.lowTrafficAlerts());
                assertThat(deadLetters.texts())
                        .hasSize((int) oracle.malformed())
                        .allSatisfy(
                                deadLetter -> assertThat(deadLetter.length()).isLessThanOrEqualTo(1024 * 1024));
                assertThat(job.isAlive()).as("the job still runs").isTrue();
            } catch (AssertionError | RuntimeException e) {
                System.err.println("the job's output:\n" + Files.readString(work.resolve("job.log")));
                throw e;
            } finally {
                job.destroy();
                if (!job.waitFor(1, TimeUnit.MINUTES)) {
                    job.destroyForcibly();
                }
            }
        }
    }

    private record Streams(String input, String totals, String alerts, String deadLetters) {
        static Streams create(KinesisClient kinesis) {
            Streams streams = new Streams(
                    UniqueNames.of("toll-events"),
                    UniqueNames.of("customer-window-totals"),
                    UniqueNames.of("low-traffic-alerts"),
                    UniqueNames.of("toll-events-dead-letters"));
            for (String stream : List.of(streams.input, streams.totals, streams.alerts, streams.deadLetters)) {
                KinesisStreams.create(kinesis, stream, 1);
            }
            return streams;
        }
    }

    private static void putReferenceData(S3Client s3, String bucket, Simulation simulation) {
        StringWriter stations = new StringWriter();
        ReferenceData.writeStations(stations, simulation.stations());
        StringWriter thresholds = new StringWriter();
        ReferenceData.writeStationThresholds(thresholds, simulation.thresholds());
        s3.putObject(
                request -> request.bucket(bucket).key(ReferenceData.STATIONS_FILE),
                RequestBody.fromString(stations.toString()));
        s3.putObject(
                request -> request.bucket(bucket).key(ReferenceData.STATION_THRESHOLDS_FILE),
                RequestBody.fromString(thresholds.toString()));
    }

    /**
     * A passage just far enough after the day to push the watermark past the day's last
     * window, as the next day's traffic would. It opens windows of its own that stay open, so
     * it adds nothing to the outputs compared here.
     */
    private static Emission closingPassage(List<Emission> records) {
        Instant readingClock =
                TollEventRules.latestAcceptableEventTime(Instant.now(), JobConfig.DEFAULTS.futureTolerance());
        Instant latest = records.stream()
                .map(record -> TollJson.parseTollEvent(record.data(), readingClock))
                .filter(TollEventParseResult.Valid.class::isInstance)
                .map(valid -> ((TollEventParseResult.Valid) valid).event().eventTime())
                .max(Instant::compareTo)
                .orElseThrow();
        Instant closing =
                TumblingWindow.containing(latest, TumblingWindow.STATION).end().plus(WATERMARK_BOUND);
        TollEvent passage =
                new TollEvent("closing", "S0001", 1, "T9999999", "C9999999", VehicleClass.CAR, 100, closing);
        return Emission.of(TollJson.write(passage), "S0001", closing, Emission.Kind.PASSAGE);
    }

    private static void publish(KinesisClient kinesis, String stream, List<Emission> day, Emission closing)
            throws InterruptedException {
        KinesisPublisher publisher = new KinesisPublisher(
                kinesis::putRecords,
                stream,
                KinesisPublisher.RetryPolicy.DEFAULT,
                duration -> Thread.sleep(duration.toMillis()),
                new Random(1));
        publisher.publish(day);
        publisher.publish(List.of(closing));
        assertThat(publisher.stats().failed()).isZero();
        assertThat(publisher.rejected())
                .as("records over Kinesis' limit, kept by the producer")
                .hasSize(1);
    }

    /**
     * {@code java -cp abc-tolls-analytics.jar:FLINK AnalyticsJob --properties FILE} on Java 11, with
     * Flink's runtime beside the jar and nothing else. One processor, so that the local
     * environment's default parallelism is 1.
     */
    private static Process startDeployedJar(Properties properties, Path work) throws IOException {
        properties.setProperty("checkpoint.interval", "PT1S");
        Path file = work.resolve("job.properties");
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(writer, "AnalyticsJobIT");
        }
        return new ProcessBuilder(
                        java11().toString(),
                        "-XX:ActiveProcessorCount=1",
                        "-cp",
                        DEPLOYED_JAR.toAbsolutePath() + File.pathSeparator + flinkRuntime(),
                        AnalyticsJob.class.getName(),
                        "--properties",
                        file.toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("job.log").toFile())
                .start();
    }

    private static Path java11() {
        String configured = Map.copyOf(System.getenv()).get("TOLLS_JAVA11_HOME");
        Path java = Path.of(configured != null ? configured : "../.tolls/java11/home", "bin", "java");
        if (!Files.isExecutable(java)) {
            throw new IllegalStateException(
                    "no Java 11 (the JVM of Managed Flink's 1.x runtimes) at " + java + "; ./tolls test installs it");
        }
        return java;
    }

    /**
     * What Managed Flink provides: Flink's runtime (the analytics module's provided dependencies,
     * listed by the build) and a logging binding from this test's class path (which Failsafe
     * names apart from its own); nothing the jar should carry itself.
     */
    private static String flinkRuntime() throws IOException {
        String flink = Files.readString(Path.of("target", "flink-runtime-classpath.txt"), StandardCharsets.UTF_8)
                .strip();
        String testClassPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String logging = Arrays.stream(testClassPath.split(File.pathSeparator))
                .filter(entry -> entry.contains(File.separator + "org" + File.separator + "slf4j" + File.separator))
                .collect(Collectors.joining(File.pathSeparator));
        return flink + File.pathSeparator + logging;
    }

    private static Properties jobProperties(AwsTarget aws, KinesisClient kinesis, Streams streams, String bucket) {
        Properties properties = KitConnection.awsProperties(aws);
        properties.setProperty("input.stream", streams.input());
        properties.setProperty("output.customer-window-totals.stream-arn", arn(kinesis, streams.totals()));
        properties.setProperty("output.low-traffic-alerts.stream-arn", arn(kinesis, streams.alerts()));
        properties.setProperty("output.dead-letters.stream-arn", arn(kinesis, streams.deadLetters()));
        properties.setProperty("reference.bucket", bucket);
        properties.setProperty("reference.poll-interval", "PT1S");
        properties.setProperty("watermark.bound", WATERMARK_BOUND.toString());
        properties.setProperty("watermark.after-every-record", "true");
        return properties;
    }

    private static String arn(KinesisClient kinesis, String stream) {
        return kinesis.describeStreamSummary(request -> request.streamName(stream))
                .streamDescriptionSummary()
                .streamARN();
    }

    /** Each customer's month, as the billing function applies the totals. */
    private static Map<String, Long> monthlyTotals(List<String> windowTotals) {
        InMemoryLedger ledger = new InMemoryLedger();
        windowTotals.forEach(json -> ledger.apply(TollJson.readCustomerWindowTotal(json)));
        return ledger.months();
    }
}
