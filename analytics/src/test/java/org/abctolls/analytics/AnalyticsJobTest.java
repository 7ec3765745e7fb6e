package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.apache.flink.streaming.connectors.kinesis.config.ConsumerConfigConstants;
import org.junit.jupiter.api.Test;

class AnalyticsJobTest {

    private static JobSettings settings(boolean watermarkAfterEveryRecord) {
        Properties properties = new Properties();
        properties.setProperty("aws.region", "eu-west-1");
        properties.setProperty("reference.bucket", "tolls-reference");
        properties.setProperty("output.customer-window-totals.stream-arn", "arn:totals");
        properties.setProperty("output.low-traffic-alerts.stream-arn", "arn:alerts");
        properties.setProperty("output.dead-letters.stream-arn", "arn:dead-letters");
        properties.setProperty("watermark.after-every-record", Boolean.toString(watermarkAfterEveryRecord));
        return JobSettings.from(properties);
    }

    /**
     * A shard serves five reads a second to every polling reader together, and the warehouse's
     * delivery stream takes one: the connector's default of one read every 200 ms would leave
     * the two of them throttled.
     */
    @Test
    void theConsumerReadsEachShardTwiceASecondLeavingRoomForTheDeliveryStream() {
        Properties consumer = AnalyticsJob.consumerProperties(settings(false));

        assertThat(consumer)
                .containsEntry(ConsumerConfigConstants.SHARD_GETRECORDS_INTERVAL_MILLIS, "500")
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
