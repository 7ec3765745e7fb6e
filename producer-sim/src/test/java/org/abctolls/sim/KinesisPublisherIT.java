package org.abctolls.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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

/**
 * The publisher against the kit's Kinesis: every event read back exactly once and in order
 * per station, with and without injected faults. The build runs 5,000 events; {@code
 * bench/producer-exactly-once.sh} runs the same proof at 50,000 (or any count) and prints its
 * figures, which the build leaves out because kinesis-mock's PutRecords slows down as a shard
 * fills (Local limits, in the README).
 */
@ExtendWith(LocalAwsExtension.class)
class KinesisPublisherIT {

    private static final int EVENTS = Integer.getInteger("tolls.publisher-it.events", 5_000);
    /** Spread over many shards, a large run takes a fraction of its time over a few. */
    private static final int SHARDS = 32;
    /**
     * LocalStack fails a whole PutRecords call with this probability: at one half, even the
     * ten-odd calls of a short run meet faults (a fifth would leave one run in ten untouched).
     */
    private static final double FAULT_PROBABILITY = 0.5;

    /** A busy network of 256 stations, so that every shard gets some: cut at exactly {@link #EVENTS} passages. */
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
    void everyEventIsReadBackExactlyOnceWhenHalfOfKinesisWritesFail(AwsTarget aws) throws InterruptedException {
        PublishStats stats;
        LocalStackFaults faults = LocalStackFaults.kinesisErrors(aws, FAULT_PROBABILITY);
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

                long started = System.nanoTime();
                publisher.publish(TRAFFIC);
                Duration publishing = Duration.ofNanos(System.nanoTime() - started);
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
                System.out.printf(
                        Locale.ROOT,
                        "published %,d events to %d shards in %.1f s (%,.0f events/s), %,d retried (%,d throttled calls),"
                                + " every one read back once, in order per station%n",
                        EVENTS,
                        SHARDS,
                        publishing.toMillis() / 1000.0,
                        EVENTS * 1000.0 / Math.max(1, publishing.toMillis()),
                        publisher.stats().retried(),
                        publisher.stats().throttled());
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
