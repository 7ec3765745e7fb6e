package org.abctolls.analytics;

import java.io.Serializable;
import java.time.Duration;
import org.abctolls.domain.TollEventRules;
import org.abctolls.domain.TumblingWindow;

/**
 * The job's tuning, with the contract's defaults.
 *
 * @param watermarkBound how far behind the largest event time seen the watermark trails
 * @param idleTimeout after how long without records a shard, or without passages a deduplicating
 *     task, stops holding the watermark back
 * @param billingLateness how long a closed billing window still takes late passages (and re-emits);
 *     a passage later than that is billed alone (see {@link LatenessRouter})
 * @param deduplicationTtl how long an event id is remembered to drop a re-sent passage
 * @param watermarkAfterEveryRecord emit the watermark after each record instead of periodically
 *     per shard: what is late then depends only on the order of records, as replays and tests
 *     need; it is meant for an input read in one order (one shard). Periodic per-shard
 *     watermarks cost less at high rates and keep one shard's lead from making another's
 *     passages late
 * @param futureTolerance how far ahead of the clock (Kinesis' arrival time of the record) an
 *     event time may be before the record is malformed (contract section 1)
 */
public record JobConfig(
        Duration watermarkBound,
        Duration idleTimeout,
        Duration billingLateness,
        Duration deduplicationTtl,
        boolean watermarkAfterEveryRecord,
        Duration futureTolerance)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final JobConfig DEFAULTS = new JobConfig(
            TumblingWindow.DEFAULT_WATERMARK_BOUND,
            Duration.ofMinutes(1),
            Duration.ofHours(24),
            Duration.ofHours(24),
            false,
            TollEventRules.DEFAULT_FUTURE_TOLERANCE);

    public JobConfig withWatermarkAfterEveryRecord(boolean value) {
        return new JobConfig(watermarkBound, idleTimeout, billingLateness, deduplicationTtl, value, futureTolerance);
    }
}
