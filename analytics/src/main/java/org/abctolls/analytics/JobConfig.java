package org.abctolls.analytics;

import java.io.Serializable;
import java.time.Duration;

/**
 * The job's tuning, with the contract's defaults.
 *
 * @param watermarkBound how far behind the largest event time seen the watermark trails
 * @param idleTimeout after how long without records a source split stops holding the watermark back
 * @param billingLateness how long a closed billing window still takes late passages (and re-emits);
 *     at least the input stream's retention, so every retained passage is billed
 * @param deduplicationTtl how long an event id is remembered to drop a re-sent passage
 * @param watermarkAfterEveryRecord emit the watermark after each record instead of periodically:
 *     what is late then depends only on the order of records, never on timing, as replays and
 *     tests need; periodic emission costs less at high rates
 */
public record JobConfig(
        Duration watermarkBound,
        Duration idleTimeout,
        Duration billingLateness,
        Duration deduplicationTtl,
        boolean watermarkAfterEveryRecord)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final JobConfig DEFAULTS = new JobConfig(
            Duration.ofSeconds(60), Duration.ofMinutes(1), Duration.ofHours(24), Duration.ofHours(24), false);

    public JobConfig withWatermarkAfterEveryRecord(boolean value) {
        return new JobConfig(watermarkBound, idleTimeout, billingLateness, deduplicationTtl, value);
    }
}
