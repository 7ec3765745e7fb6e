package org.abctolls.functions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.TopicQueues;
import org.abctolls.localkit.UniqueNames;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The tables, topics and queues the functions use, created under random names for one test
 * class, with a queue subscribed to each topic to observe what is published.
 */
public final class FunctionResources implements AutoCloseable {

    /** How long the tests' ledger keeps a window's entry: the stack's value for streams kept a day. */
    public static final Duration LEDGER_ENTRIES_KEPT = Duration.ofDays(37);

    public final DynamoDbClient dynamoDb;
    public final SnsClient sns;
    public final SqsClient sqs;
    public final String ledgerTable = UniqueNames.of("ledger");
    public final String customersTable = UniqueNames.of("customers");
    public final String customerTopicArn;
    public final String customerAlertsQueue;
    public final String operatorTopicArn;
    public final String operatorAlertsQueue;
    public final String deadLetterQueue;

    public FunctionResources(AwsTarget aws) {
        dynamoDb = aws.dynamoDb();
        sns = aws.sns();
        sqs = aws.sqs();
        createTable(ledgerTable, "pk", "sk");
        createTable(customersTable, "customerId", null);
        // FIFO, so that SNS drops a second publish of the same crossing (see CustomerNotifications).
        customerTopicArn = sns.createTopic(r -> r.name(UniqueNames.of("customer-notifications") + ".fifo")
                        .attributes(Map.of("FifoTopic", "true")))
                .topicArn();
        customerAlertsQueue =
                TopicQueues.subscribeNewQueue(sns, sqs, customerTopicArn, UniqueNames.of("customer-alerts-observer"));
        operatorTopicArn =
                sns.createTopic(r -> r.name(UniqueNames.of("operator-alerts"))).topicArn();
        operatorAlertsQueue =
                TopicQueues.subscribeNewQueue(sns, sqs, operatorTopicArn, UniqueNames.of("operator-alerts-observer"));
        deadLetterQueue = sqs.createQueue(r -> r.queueName(UniqueNames.of("functions-dead-letters")))
                .queueUrl();
    }

    private void createTable(String name, String partitionKey, String sortKey) {
        List<AttributeDefinition> attributes = new ArrayList<>();
        List<KeySchemaElement> keys = new ArrayList<>();
        attributes.add(AttributeDefinition.builder()
                .attributeName(partitionKey)
                .attributeType(ScalarAttributeType.S)
                .build());
        keys.add(KeySchemaElement.builder()
                .attributeName(partitionKey)
                .keyType(KeyType.HASH)
                .build());
        if (sortKey != null) {
            attributes.add(AttributeDefinition.builder()
                    .attributeName(sortKey)
                    .attributeType(ScalarAttributeType.S)
                    .build());
            keys.add(KeySchemaElement.builder()
                    .attributeName(sortKey)
                    .keyType(KeyType.RANGE)
                    .build());
        }
        dynamoDb.createTable(r -> r.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attributes)
                .keySchema(keys));
        dynamoDb.waiter().waitUntilTableExists(r -> r.tableName(name));
    }

    public void setThreshold(String customerId, long cents) {
        dynamoDb.putItem(r -> r.tableName(customersTable)
                .item(Map.of(
                        "customerId", AttributeValue.fromS(customerId),
                        "monthlyThresholdCents", AttributeValue.fromN(Long.toString(cents)))));
    }

    /** The ledger as the billing function sees it, to read totals back; it sends no alert. */
    public BillingLedger ledger() {
        return new BillingLedger(dynamoDb, ledgerTable, customersTable, null, LEDGER_ENTRIES_KEPT);
    }

    public BillingConfig billingConfig() {
        return new BillingConfig(ledgerTable, customersTable, customerTopicArn, deadLetterQueue, LEDGER_ENTRIES_KEPT);
    }

    public LowTrafficConfig lowTrafficConfig() {
        return new LowTrafficConfig(ledgerTable, operatorTopicArn, deadLetterQueue, LEDGER_ENTRIES_KEPT);
    }

    @Override
    public void close() {
        dynamoDb.close();
        sns.close();
        sqs.close();
    }
}
