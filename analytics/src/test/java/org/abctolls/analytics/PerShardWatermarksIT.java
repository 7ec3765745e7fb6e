package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.abctolls.domain.LowTrafficAlert;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TollJson;
import org.abctolls.domain.VehicleClass;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.KinesisStreams;
import org.abctolls.localkit.LocalAwsExtension;
import org.abctolls.localkit.UniqueNames;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Two shards read by one task, as the Kinesis consumer assigns them when there are more shards
 * than tasks, one of them two hours ahead of the other: the lagging shard's passages must not
 * be late. The job runs as deployed (periodic watermarks kept per shard by the consumer) on a
 * MiniCluster against the local kit.
 */
@ExtendWith(LocalAwsExtension.class)
class PerShardWatermarksIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    /** Wednesday 08:00 UTC; the stations are in UTC. */
    private static final Instant START = Instant.parse("2026-11-18T08:00:00Z");

    private static final String AHEAD = "0";
    private static final String LAGGING =
            new BigInteger("2").pow(127).add(BigInteger.ONE).toString();

    /** Each of the first two stations sees a passage a minute: 30 a window, above their minimum of 25. */
    private static final String STATIONS =
            "stationId,name,timeZone\nS0001,Ahead,UTC\nS0002,Lagging,UTC\nS0003,Silent,UTC\n";

    private static final String THRESHOLDS = "stationId,dayOfWeek,slotStart,minVehicles\n"
            + "S0001,WEDNESDAY,08:00,25\nS0001,WEDNESDAY,08:30,25\nS0001,WEDNESDAY,09:00,25\nS0001,WEDNESDAY,09:30,25\n"
            + "S0002,WEDNESDAY,08:00,25\nS0002,WEDNESDAY,08:30,25\nS0002,WEDNESDAY,09:00,25\nS0002,WEDNESDAY,09:30,25\n"
            // The one alert expected, once 09:30 has been judged: the sign that every earlier window was.
            + "S0003,WEDNESDAY,09:30,1\n";

    @Test
    void aShardTwoHoursAheadMakesNoPassageOfALaggingShardLate(AwsTarget aws) throws Exception {
        try (KinesisClient kinesis = aws.kinesis();
                S3Client s3 = aws.s3()) {
            String input = stream(kinesis, "toll-events", 2);
            String totals = stream(kinesis, "customer-window-totals", 1);
            String alerts = stream(kinesis, "low-traffic-alerts", 1);
            String deadLetters = stream(kinesis, "dead-letters", 1);
            String bucket = UniqueNames.of("reference-data");
            s3.createBucket(request -> request.bucket(bucket));
            s3.putObject(request -> request.bucket(bucket).key("stations.csv"), RequestBody.fromString(STATIONS));
            s3.putObject(
                    request -> request.bucket(bucket).key("station-thresholds.csv"),
                    RequestBody.fromString(THRESHOLDS));

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            env.enableCheckpointing(1_000);
            AnalyticsJob.define(
                    env, JobSettings.from(jobProperties(aws, kinesis, input, totals, alerts, deadLetters, bucket)));
            JobClient job = env.executeAsync("per-shard watermarks IT");
            try {
                KinesisStreams.Tail rejected = KinesisStreams.tail(kinesis, deadLetters);
                // The lagging shard delivers its first passage, and the job has read it.
                put(
                        kinesis,
                        input,
                        LAGGING,
                        List.of(passage("b0", "S0002", "C0000002", START.plusSeconds(1)), "marker 1"));
                awaitDeadLetters(rejected, 1);
                // The other shard runs two hours ahead, and the job reads all of it.
                List<String> ahead = new ArrayList<>();
                for (int minute = 0; minute < 120; minute++) {
                    ahead.add(passage("a" + minute, "S0001", "C0000001", START.plusSeconds(60L * minute + 1)));
                }
                ahead.add("marker 2");
                put(kinesis, input, AHEAD, ahead);
                awaitDeadLetters(rejected, 2);
                // Only now does the lagging shard deliver the rest of its two hours.
                List<String> lagging = new ArrayList<>();
                for (int minute = 1; minute < 130; minute++) {
                    lagging.add(passage("b" + minute, "S0002", "C0000002", START.plusSeconds(60L * minute + 1)));
                }
                put(kinesis, input, LAGGING, lagging);
                put(kinesis, input, AHEAD, List.of(passage("a-close", "S0001", "C0000001", START.plusSeconds(9_000))));

                KinesisStreams.Tail lowTraffic = KinesisStreams.tail(kinesis, alerts);
                LowTrafficAlert silent = new LowTrafficAlert(
                        "S0003", START.plus(Duration.ofMinutes(90)), START.plus(Duration.ofMinutes(120)), 0, 1);
                await("the 09:30 window to be judged")
                        .atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            lowTraffic.poll();
                            return lowTraffic.texts().stream()
                                    .map(TollJson::readLowTrafficAlert)
                                    .anyMatch(silent::equals);
                        });

                assertThat(lowTraffic.texts().stream().map(TollJson::readLowTrafficAlert))
                        .as("no station window of the lagging shard lost its passages to the other shard's lead")
                        .containsExactly(silent);
            } finally {
                job.cancel().get();
            }
        }
    }

    private static String stream(KinesisClient kinesis, String name, int shards) {
        String stream = UniqueNames.of(name);
        KinesisStreams.create(kinesis, stream, shards);
        return stream;
    }

    private static String passage(String eventId, String station, String customer, Instant eventTime) {
        return TollJson.write(new TollEvent(
                eventId, station, 1, "T" + customer.substring(1), customer, VehicleClass.CAR, 275, eventTime));
    }

    /** Puts records into the shard whose hash key range holds {@code hashKey}, in order. */
    private static void put(KinesisClient kinesis, String stream, String hashKey, List<String> records) {
        for (int from = 0; from < records.size(); from += 100) {
            List<PutRecordsRequestEntry> entries = records.subList(from, Math.min(records.size(), from + 100)).stream()
                    .map(record -> PutRecordsRequestEntry.builder()
                            .data(SdkBytes.fromUtf8String(record))
                            .partitionKey("p")
                            .explicitHashKey(hashKey)
                            .build())
                    .toList();
            assertThat(kinesis.putRecords(request -> request.streamName(stream).records(entries))
                            .failedRecordCount())
                    .isZero();
        }
    }

    private static void awaitDeadLetters(KinesisStreams.Tail deadLetters, int count) {
        AtomicInteger seen = new AtomicInteger();
        await("the job to have read up to marker " + count)
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    deadLetters.poll();
                    seen.set(deadLetters.texts().size());
                    return seen.get() >= count;
                });
    }

    private static Properties jobProperties(
            AwsTarget aws,
            KinesisClient kinesis,
            String input,
            String totals,
            String alerts,
            String deadLetters,
            String bucket) {
        Properties properties = KitConnection.awsProperties(aws);
        properties.setProperty("input.stream", input);
        properties.setProperty("output.customer-window-totals.stream-arn", arn(kinesis, totals));
        properties.setProperty("output.low-traffic-alerts.stream-arn", arn(kinesis, alerts));
        properties.setProperty("output.dead-letters.stream-arn", arn(kinesis, deadLetters));
        properties.setProperty("reference.bucket", bucket);
        properties.setProperty("reference.poll-interval", "PT1S");
        // Long enough that neither shard counts as idle while the test waits between its phases.
        properties.setProperty("watermark.idle-timeout", "PT10M");
        return properties;
    }

    private static String arn(KinesisClient kinesis, String stream) {
        return kinesis.describeStreamSummary(request -> request.streamName(stream))
                .streamDescriptionSummary()
                .streamARN();
    }
}
