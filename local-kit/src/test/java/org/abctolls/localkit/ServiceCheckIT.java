package org.abctolls.localkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

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
        DynamoDbCheck.ConditionalUpdate update = new DynamoDbCheck(aws).conditionalUpdate();

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

    /** How the local pipeline makes its streams, buckets, topics and queues. */
    @Test
    void deploysAStackWhoseQueueIsEncryptedWithItsKey(AwsTarget aws) {
        CloudFormationCheck.EncryptedQueue queue = new CloudFormationCheck(aws).encryptedQueueStack();

        assertThat(queue.queueKeyId()).isNotBlank().isEqualTo(queue.stackKeyId());
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

    @Test
    void theKitsWarehouseStoresAndReturnsATimestampRow(AwsTarget aws) throws Exception {
        assumeTrue(aws.warehouse().isPresent(), "no local warehouse on " + aws);

        assertThat(new ServiceCheck(aws).warehouseRoundTrip()).isEqualTo("2026-11-16 08:00:00.25+00");
    }

    @Test
    void theKitsDynamoDbDeletesItemsWhoseTimeToLiveHasPassed(AwsTarget aws) {
        assumeFalse(
                AwsTarget.isNamedBy(System.getenv()),
                "AWS deletes expired items within days; only the kit's DynamoDB sweeps them every minute");
        String table = UniqueNames.of("ttl");
        try (DynamoDbClient dynamoDb = aws.dynamoDb()) {
            DynamoDbCheck.createTable(dynamoDb, table, "pk");
            dynamoDb.updateTimeToLive(
                    r -> r.tableName(table).timeToLiveSpecification(ttl -> ttl.attributeName("expiresAt")
                            .enabled(true)));
            long now = Instant.now().getEpochSecond();
            put(dynamoDb, table, "expired", now - 3_600);
            put(dynamoDb, table, "current", now + 3_600);

            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> !dynamoDb.getItem(r -> r.tableName(table).key(key("expired")))
                            .hasItem());

            assertThat(dynamoDb.getItem(r -> r.tableName(table).key(key("current")))
                            .hasItem())
                    .isTrue();
            dynamoDb.deleteTable(r -> r.tableName(table));
        }
    }

    private static void put(DynamoDbClient dynamoDb, String table, String pk, long expiresAt) {
        dynamoDb.putItem(r -> r.tableName(table)
                .item(Map.of(
                        "pk", AttributeValue.fromS(pk), "expiresAt", AttributeValue.fromN(Long.toString(expiresAt)))));
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", AttributeValue.fromS(pk));
    }
}
