package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.apache.flink.streaming.connectors.kinesis.config.ConsumerConfigConstants;
import org.junit.jupiter.api.Test;

class AnalyticsJobTest {

    private static JobSettings settings(boolean watermarkAfterEveryRecord) {
        Properties properties = JobSettingsTest.minimal();
        properties.setProperty("watermark.after-every-record", Boolean.toString(watermarkAfterEveryRecord));
        return JobSettings.from(properties);
    }

    /**
     * A shard serves five reads and 2 MB a second to every polling reader together, and the
     * warehouse's delivery stream reads it too: the connector's defaults (a read every 200 ms,
     * of up to 10,000 records) would leave the two of them throttled.
     */
    @Test
    void theConsumerReadsEachShardTwiceASecondAtMost2000RecordsLeavingRoomForTheDeliveryStream() {
        Properties consumer = AnalyticsJob.consumerProperties(settings(false));

        assertThat(consumer)
                .containsEntry(ConsumerConfigConstants.SHARD_GETRECORDS_INTERVAL_MILLIS, "500")
                .containsEntry(ConsumerConfigConstants.SHARD_GETRECORDS_MAX, "2000")
                .containsEntry(ConsumerConfigConstants.STREAM_INITIAL_POSITION, "TRIM_HORIZON")
                .containsEntry(ConsumerConfigConstants.SHARD_IDLE_INTERVAL_MILLIS, "60000")
                .containsEntry("aws.region", "eu-west-1");
    }

    @Test
    void anInputWatermarkedInReadOrderHasNoIdleShards() {
        assertThat(AnalyticsJob.consumerProperties(settings(true)))
                .doesNotContainKey(ConsumerConfigConstants.SHARD_IDLE_INTERVAL_MILLIS);
    }
}
