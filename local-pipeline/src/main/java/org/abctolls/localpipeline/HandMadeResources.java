package org.abctolls.localpipeline;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.abctolls.localkit.AwsTarget;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;

/**
 * What the local pipeline makes by hand from the template, because no engine on this machine
 * can make it (everything else the kit holds, its CloudFormation deploys: {@link KitStack}):
 *
 * <ul>
 *   <li>Tables: the kit's DynamoDB is fakecloud's DynamoDB service alone. LocalStack's own,
 *       which its CloudFormation would make them in, needs DynamoDB Local, whose licence is not
 *       open source; running fakecloud's CloudFormation as well would build and run a second
 *       engine for two tables.
 *   <li>Delivery streams: the kit's Firehose cannot read a Kinesis stream, so each becomes a
 *       Direct PUT stream that a forwarder feeds.
 * </ul>
 */
final class HandMadeResources {

    private HandMadeResources() {}

    /**
     * A table with the template's keys and time to live, billed per request (not its KMS key or
     * point-in-time recovery, which the kit's DynamoDB lacks).
     */
    static LocalResources.Made table(DynamoDbClient dynamoDb, String name, JsonNode properties) {
        List<AttributeDefinition> attributes = new ArrayList<>();
        for (JsonNode attribute : properties.path("AttributeDefinitions")) {
            attributes.add(AttributeDefinition.builder()
                    .attributeName(attribute.path("AttributeName").asText())
                    .attributeType(attribute.path("AttributeType").asText())
                    .build());
        }
        List<KeySchemaElement> keys = new ArrayList<>();
        for (JsonNode key : properties.path("KeySchema")) {
            keys.add(KeySchemaElement.builder()
                    .attributeName(key.path("AttributeName").asText())
                    .keyType(key.path("KeyType").asText())
                    .build());
        }
        String arn = dynamoDb.createTable(r -> r.tableName(name)
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(attributes)
                        .keySchema(keys))
                .tableDescription()
                .tableArn();
        dynamoDb.waiter().waitUntilTableExists(r -> r.tableName(name));
        JsonNode timeToLive = properties.path("TimeToLiveSpecification");
        if (timeToLive.path("Enabled").asBoolean(false)) {
            dynamoDb.updateTimeToLive(r -> r.tableName(name).timeToLiveSpecification(ttl -> ttl.attributeName(
                            timeToLive.path("AttributeName").asText())
                    .enabled(true)));
        }
        return new LocalResources.Made(LocalResources.TABLE, name, arn, null);
    }

    /**
     * A delivery stream into the template's bucket, with its prefixes, buffering and
     * compression (not its KMS key or log group, which the kit lacks). Direct PUT: the kit's
     * Firehose cannot read Kinesis, so a forwarder on {@code kcl-host} feeds it from the
     * template's source stream ({@link LocalResources#deliveryStreamSources}); on AWS the
     * delivery stream reads the stream itself.
     *
     * @param destination the template's S3 destination configuration
     * @param bucket the ARN of the bucket on the kit
     */
    static LocalResources.Made deliveryStream(
            FirehoseClient firehose, AwsTarget aws, String name, JsonNode destination, String bucket) {
        String arn = firehose.createDeliveryStream(r -> r.deliveryStreamName(name)
                        .deliveryStreamType(DeliveryStreamType.DIRECT_PUT)
                        .extendedS3DestinationConfiguration(d -> d.bucketARN(bucket)
                                .roleARN(aws.firehoseRoleArn())
                                .prefix(destination.path("Prefix").asText(null))
                                .errorOutputPrefix(
                                        destination.path("ErrorOutputPrefix").asText(null))
                                .bufferingHints(b -> b.intervalInSeconds(destination
                                                .path("BufferingHints")
                                                .path("IntervalInSeconds")
                                                .asInt(300))
                                        .sizeInMBs(destination
                                                .path("BufferingHints")
                                                .path("SizeInMBs")
                                                .asInt(5)))
                                .compressionFormat(
                                        destination.path("CompressionFormat").asText("UNCOMPRESSED"))))
                .deliveryStreamARN();
        await("delivery stream " + name + " to be active")
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> firehose.describeDeliveryStream(r -> r.deliveryStreamName(name))
                                .deliveryStreamDescription()
                                .deliveryStreamStatus()
                        == DeliveryStreamStatus.ACTIVE);
        return new LocalResources.Made(LocalResources.DELIVERY_STREAM, name, arn, null);
    }
}
