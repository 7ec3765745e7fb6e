package org.abctolls.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.KinesisStreams;
import org.abctolls.localkit.LocalAwsExtension;
import org.abctolls.localkit.LocalStackFaults;
import org.abctolls.localkit.UniqueNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;

@ExtendWith(LocalAwsExtension.class)
class KinesisPublisherIT {

    private static final int EVENTS = 50_000;
    /**
     * kinesis-mock's PutRecords takes time in proportion to the records the shard already
     * holds: spread over 32 shards, the same 50,000 events take a quarter of the time they did
     * over 4 (2 minutes for both tests instead of 9; Local limits, in the README).
     */
    private static final int SHARDS = 32;

    /** A busy network of 256 stations, so that every shard gets some: cut at exactly 50,000 passages. */
    private static final List<Emission> TRAFFIC = Generator.generate(SimulationOptions.defaults()
                    .withTraffic(new SimulationOptions.Traffic(
                            SimulationOptions.DEFAULT_START, Duration.ofDays(3), 256, 5_000, 20, List.of(), EVENTS)))
            .emissions();

    @Test
    void everyEventWrittenIsReadBackFromTheShardsExactlyOnce(AwsTarget aws) throws InterruptedException {
        assertThat(TRAFFIC).hasSize(EVENTS);

        PublishStats stats = publishAndReadBack(aws);

        assertThat(stats.retried()).isZero();
    }

    @Test
    void everyEventIsReadBackExactlyOnceWhenAFifthOfKinesisWritesFail(AwsTarget aws) throws InterruptedException {
        PublishStats stats;
        LocalStackFaults faults = LocalStackFaults.kinesisErrors(aws, 0.2);
        try {
            stats = publishAndReadBack(aws);
        } finally {
            faults.close();
        }

        assertThat(stats.retried()).isPositive();
        assertThat(stats.throttled()).isPositive();
    }

    private static PublishStats publishAndReadBack(AwsTarget aws) throws InterruptedException {
        String stream = UniqueNames.of("toll-events");
        try (KinesisClient kinesis = aws.kinesis()) {
            KinesisStreams.create(kinesis, stream, SHARDS);
            try {
                KinesisPublisher publisher = new KinesisPublisher(
                        kinesis::putRecords,
                        stream,
                        new KinesisPublisher.RetryPolicy(20, Duration.ofMillis(20), Duration.ofSeconds(1)),
                        duration -> Thread.sleep(duration.toMillis()),
                        new Random(7));

                publisher.publish(TRAFFIC);
                Map<String, List<Record>> byShard = KinesisStreams.readAll(kinesis, stream, EVENTS);

                assertThat(publisher.stats().failed()).isZero();
                assertThat(publisher.stats().sent()).isEqualTo(EVENTS);
                assertThat(byShard).hasSize(SHARDS).allSatisfy((shard, records) -> assertThat(records)
                        .isNotEmpty());
                List<String> readBack = byShard.values().stream()
                        .flatMap(List::stream)
                        .map(record -> record.data().asUtf8String())
                        .toList();
                assertThat(readBack)
                        .hasSize(EVENTS)
                        .containsExactlyInAnyOrderElementsOf(
                                TRAFFIC.stream().map(Emission::text).toList());
                assertPerStationOrderKept(byShard);
                return publisher.stats();
            } finally {
                kinesis.deleteStream(r -> r.streamName(stream));
            }
        }
    }

    /** Retries never overtake: within a shard each station's passages keep the order they were sent in. */
    private static void assertPerStationOrderKept(Map<String, List<Record>> byShard) {
        List<String> sentOrder = TRAFFIC.stream().map(Emission::text).toList();
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < sentOrder.size(); i++) {
            position.put(sentOrder.get(i), i);
        }
        byShard.values().forEach(records -> {
            Map<String, Integer> lastByStation = new HashMap<>();
            for (Record record : records) {
                int at = position.get(record.data().asUtf8String());
                Integer previous = lastByStation.put(record.partitionKey(), at);
                assertThat(previous == null || previous < at)
                        .as(
                                "station %s passage sent at %d read after one sent at %d",
                                record.partitionKey(), at, previous)
                        .isTrue();
            }
        });
    }
}
