package org.abctolls.localkit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.waiters.KinesisWaiter;

/** Creating a test stream and reading every shard of it back, for checks and tests. */
public final class KinesisStreams {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private KinesisStreams() {}

    /** Creates the stream and waits until it is active. */
    public static void create(KinesisClient kinesis, String stream, int shards) {
        kinesis.createStream(r -> r.streamName(stream).shardCount(shards));
        try (KinesisWaiter waiter = KinesisWaiter.builder()
                .client(kinesis)
                .overrideConfiguration(KinesisStreams::pollBriskly)
                .build()) {
            waiter.waitUntilStreamExists(r -> r.streamName(stream));
        }
    }

    /** The SDK waiters' default of one poll every 5 to 10 seconds is tuned for AWS, not emulators. */
    static void pollBriskly(WaiterOverrideConfiguration.Builder waiter) {
        waiter.backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(250)))
                .waitTimeout(TIMEOUT);
    }

    /**
     * Reads every shard from its start until {@code expected} records have arrived, then reads
     * each shard once more to its current end, so that records beyond the expected ones (a
     * duplicate, say) are seen too. Returns the records by shard id.
     */
    public static Map<String, List<Record>> readAll(KinesisClient kinesis, String stream, int expected) {
        Tail tail = tail(kinesis, stream);
        await("all " + expected + " records read back from " + stream)
                .atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> tail.poll() >= expected);
        tail.poll();
        return tail.recordsByShard();
    }

    /** Follows every shard of a stream from its start; each {@link Tail#poll()} reads what has arrived since. */
    public static Tail tail(KinesisClient kinesis, String stream) {
        return new Tail(kinesis, stream);
    }

    /** The records of a stream read so far, by shard, in each shard's order. */
    public static final class Tail {
        private final KinesisClient kinesis;
        private final Map<String, String> iterators = new LinkedHashMap<>();
        private final Map<String, List<Record>> records = new LinkedHashMap<>();

        private Tail(KinesisClient kinesis, String stream) {
            this.kinesis = kinesis;
            for (Shard shard : kinesis.listShards(r -> r.streamName(stream)).shards()) {
                iterators.put(
                        shard.shardId(),
                        kinesis.getShardIterator(r -> r.streamName(stream)
                                        .shardId(shard.shardId())
                                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                                .shardIterator());
                records.put(shard.shardId(), new ArrayList<>());
            }
        }

        /** Reads each shard to its current end; returns how many records have been read in all. */
        public int poll() {
            int total = 0;
            for (Map.Entry<String, String> shard : iterators.entrySet()) {
                GetRecordsResponse response;
                do {
                    String iterator = shard.getValue();
                    response = kinesis.getRecords(r -> r.shardIterator(iterator).limit(10_000));
                    shard.setValue(response.nextShardIterator());
                    records.get(shard.getKey()).addAll(response.records());
                } while (!response.records().isEmpty());
                total += records.get(shard.getKey()).size();
            }
            return total;
        }

        public Map<String, List<Record>> recordsByShard() {
            return records;
        }

        /** Every record's data as UTF-8 text, shard after shard. */
        public List<String> texts() {
            return records.values().stream()
                    .flatMap(List::stream)
                    .map(record -> record.data().asUtf8String())
                    .toList();
        }
    }
}
