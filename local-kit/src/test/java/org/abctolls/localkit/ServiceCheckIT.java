package org.abctolls.localkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsExtension.class)
class ServiceCheckIT {

    @Test
    void readsBackFromBothShardsExactlyTheThousandRecordsPutWithPutRecords(AwsTarget aws) {
        ServiceCheck.KinesisRoundTrip trip = new ServiceCheck(aws).kinesisRoundTrip(1_000, 2);

        assertThat(trip.readBack()).hasSize(1_000).containsExactlyInAnyOrderElementsOf(trip.written());
        assertThat(trip.recordsPerShard()).hasSize(2).allSatisfy((shard, count) -> assertThat(count)
                .isPositive());
    }

    @Test
    void writesAndConditionallyUpdatesADynamoDbItem(AwsTarget aws) {
        ServiceCheck.ConditionalUpdate update = new ServiceCheck(aws).dynamoDbConditionalUpdate();

        assertThat(update.totalAfterUpdate()).isEqualTo(550);
        assertThat(update.secondCreateRejected()).isTrue();
        assertThat(update.staleUpdateRejected()).isTrue();
        assertThat(update.finalTotal()).isEqualTo(550);
    }

    @Test
    void aMessagePublishedToSnsArrivesOnTheSubscribedQueue(AwsTarget aws) {
        String alert = "{\"type\":\"LOW_TRAFFIC\",\"stationId\":\"S0042\"}";

        assertThat(new ServiceCheck(aws).snsToSqs(alert)).isEqualTo(alert);
    }

    @Test
    void putsAndGetsAnS3Object(AwsTarget aws) {
        byte[] csv =
                "stationId,name,timeZone\nS0042,Riverside Plaza,America/Chicago\n".getBytes(StandardCharsets.UTF_8);

        assertThat(new ServiceCheck(aws).s3PutGet(csv)).isEqualTo(csv);
    }

    @Test
    void deliversAFirehoseDirectPutRecordToS3(AwsTarget aws) {
        String event = "{\"eventId\":\"e-1\",\"stationId\":\"S0042\"}";

        assertThat(new ServiceCheck(aws).firehoseToS3(event)).isEqualTo(event + "\n");
    }
}
