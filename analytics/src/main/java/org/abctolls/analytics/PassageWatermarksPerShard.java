package org.abctolls.analytics;

import java.time.Duration;
import org.apache.flink.streaming.api.functions.AssignerWithPeriodicWatermarks;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * Bounded out-of-orderness watermarks kept per shard by the Kinesis consumer, which clones
 * one of these for every shard and emits the lowest watermark of the shards that are not
 * idle: a shard that runs ahead never makes another shard's passages late. Only valid
 * passages move it; a rejected record (a stamp in 2099, say) never does. The consumer of
 * connector 4.3.0 takes only this (deprecated) interface for per-shard watermarks.
 */
@SuppressWarnings("deprecation")
final class PassageWatermarksPerShard implements AssignerWithPeriodicWatermarks<InputRecord> {
    private static final long serialVersionUID = 1L;

    private final long boundMillis;
    private long maxTimestamp = Long.MIN_VALUE;

    PassageWatermarksPerShard(Duration bound) {
        this.boundMillis = bound.toMillis();
    }

    @Override
    public long extractTimestamp(InputRecord record, long previousElementTimestamp) {
        if (!record.isPassage()) {
            return previousElementTimestamp;
        }
        long timestamp = record.passage().eventTime().toEpochMilli();
        maxTimestamp = Math.max(maxTimestamp, timestamp);
        return timestamp;
    }

    /** None until the shard's first passage, so that a shard yet to deliver one holds nothing back. */
    @Override
    public Watermark getCurrentWatermark() {
        return maxTimestamp == Long.MIN_VALUE ? null : new Watermark(maxTimestamp - boundMillis - 1);
    }
}
