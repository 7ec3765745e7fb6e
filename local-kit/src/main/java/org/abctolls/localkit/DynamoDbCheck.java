package org.abctolls.localkit;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

/**
 * DynamoDB's part of the {@link ServiceCheck}: the conditional writes the billing ledger's
 * exactly-once rests on, on a table of its own that it deletes afterwards.
 */
public final class DynamoDbCheck {

    private final AwsTarget aws;

    public DynamoDbCheck(AwsTarget aws) {
        this.aws = aws;
    }

    public record ConditionalUpdate(
            long totalAfterUpdate, boolean secondCreateRejected, boolean staleUpdateRejected, long finalTotal) {}

    /**
     * Creates an item only if absent, adds to it only if it still holds the value read, and
     * shows that a second create and an update from a stale read are both refused.
     */
    public ConditionalUpdate conditionalUpdate() {
        String table = UniqueNames.of("check-table");
        try (DynamoDbClient dynamoDb = aws.dynamoDb()) {
            createTable(dynamoDb, table, "id");
            try {
                Map<String, AttributeValue> key = Map.of("id", AttributeValue.fromS("C0000123#2026-11"));
                Map<String, AttributeValue> item = new HashMap<>(key);
                item.put("total", AttributeValue.fromN("0"));
                dynamoDb.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(id)"));
                boolean secondCreateRejected = refused(() -> dynamoDb.putItem(
                        r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(id)")));
                Runnable addToTheTotalRead = () -> dynamoDb.updateItem(r -> r.tableName(table)
                        .key(key)
                        .updateExpression("SET #total = #total + :amount")
                        .conditionExpression("#total = :expected")
                        .expressionAttributeNames(Map.of("#total", "total"))
                        .expressionAttributeValues(Map.of(
                                ":amount", AttributeValue.fromN("550"), ":expected", AttributeValue.fromN("0"))));
                addToTheTotalRead.run();
                long totalAfterUpdate = total(dynamoDb, table, key);
                boolean staleUpdateRejected = refused(addToTheTotalRead);
                return new ConditionalUpdate(
                        totalAfterUpdate, secondCreateRejected, staleUpdateRejected, total(dynamoDb, table, key));
            } finally {
                dynamoDb.deleteTable(r -> r.tableName(table));
            }
        }
    }

    /** Creates an on-demand table keyed by one string attribute and waits until it exists. */
    static void createTable(DynamoDbClient dynamoDb, String table, String hashKey) {
        dynamoDb.createTable(r -> r.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder()
                        .attributeName(hashKey)
                        .attributeType(ScalarAttributeType.S)
                        .build())
                .keySchema(KeySchemaElement.builder()
                        .attributeName(hashKey)
                        .keyType(KeyType.HASH)
                        .build()));
        try (DynamoDbWaiter waiter = DynamoDbWaiter.builder()
                .client(dynamoDb)
                .overrideConfiguration(KinesisStreams::pollBriskly)
                .build()) {
            waiter.waitUntilTableExists(r -> r.tableName(table));
        }
    }

    private static long total(DynamoDbClient dynamoDb, String table, Map<String, AttributeValue> key) {
        return Long.parseLong(dynamoDb.getItem(r -> r.tableName(table).key(key).consistentRead(true))
                .item()
                .get("total")
                .n());
    }

    private static boolean refused(Runnable conditionalWrite) {
        try {
            conditionalWrite.run();
            return false;
        } catch (ConditionalCheckFailedException expected) {
            return true;
        }
    }
}
