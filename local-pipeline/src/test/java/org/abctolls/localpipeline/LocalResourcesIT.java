package org.abctolls.localpipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.abctolls.analytics.JobSettings;
import org.abctolls.kclhost.EventSourceMapping;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.LocalAwsExtension;
import org.abctolls.localkit.UniqueNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sns.SnsClient;

/** The kit's resources, deployed from the template the build synthesizes (infra/target/cdk.out). */
@ExtendWith(LocalAwsExtension.class)
class LocalResourcesIT {

    static final Path TEMPLATE = Path.of("..", "infra", "target", "cdk.out", "AbcTolls.template.json");

    @Test
    void everyStreamTableTopicQueueAndBucketOfTheStackIsMadeWithItsSettings(AwsTarget aws) {
        StackTemplate template = StackTemplate.read(TEMPLATE);
        String prefix = UniqueNames.of("tolls");

        LocalResources resources = LocalResources.create(aws, template, prefix);

        // Deployed, not interpreted: the kit's CloudFormation made them, as a stack of the run's name.
        try (CloudFormationClient cloudFormation = aws.cloudFormation()) {
            assertThat(cloudFormation
                            .describeStackResources(r -> r.stackName(prefix))
                            .stackResources())
                    .extracting(StackResource::physicalResourceId)
                    .contains(
                            resources.byId("TollEvents").name(),
                            resources.byId("Archive").name(),
                            resources.byId("OperatorAlerts").arn(),
                            resources.byId("BatchesOnFailure").url());
        }

        try (KinesisClient kinesis = aws.kinesis();
                DynamoDbClient dynamoDb = aws.dynamoDb();
                SnsClient sns = aws.sns()) {
            for (String stream :
                    new String[] {"TollEvents", "CustomerWindowTotals", "LowTrafficAlerts", "AnalyticsDeadLetters"}) {
                assertThat(kinesis.listShards(
                                        r -> r.streamName(resources.byId(stream).name()))
                                .shards())
                        .as(stream)
                        .hasSize(2);
            }
            TableDescription ledger = dynamoDb.describeTable(
                            r -> r.tableName(resources.byId("Ledger").name()))
                    .table();
            assertThat(ledger.keySchema())
                    .extracting(key -> key.attributeName() + " " + key.keyTypeAsString())
                    .containsExactly("pk HASH", "sk RANGE");
            // As in the template: ledger entries expire (LEDGER_ENTRIES_KEPT after their window).
            assertThat(dynamoDb.describeTimeToLive(r -> r.tableName(ledger.tableName()))
                            .timeToLiveDescription())
                    .satisfies(ttl -> {
                        assertThat(ttl.timeToLiveStatusAsString()).isEqualTo("ENABLED");
                        assertThat(ttl.attributeName()).isEqualTo("expiresAt");
                    });
            assertThat(dynamoDb.describeTimeToLive(
                                    r -> r.tableName(resources.byId("Customers").name()))
                            .timeToLiveDescription()
                            .timeToLiveStatusAsString())
                    .isEqualTo("DISABLED");
            assertThat(sns.getTopicAttributes(r -> r.topicArn(
                                    resources.byId("CustomerNotifications").arn()))
                            .attributes())
                    .containsEntry("FifoTopic", "true");
        }
        Map<String, String> billing = resources.environmentOf("BillingThreshold");
        assertThat(billing)
                .containsEntry("LEDGER_TABLE", resources.byId("Ledger").name())
                .containsEntry("CUSTOMERS_TABLE", resources.byId("Customers").name())
                .containsEntry(
                        "CUSTOMER_NOTIFICATIONS_TOPIC_ARN",
                        resources.byId("CustomerNotifications").arn())
                .containsEntry(
                        "DEAD_LETTER_QUEUE_URL",
                        resources.byId("RecordDeadLetters").url());
        assertThat(resources.environmentOf("LowTraffic"))
                .containsEntry(
                        "OPERATOR_ALERTS_TOPIC_ARN",
                        resources.byId("OperatorAlerts").arn());
        // Twice the kit's one-day retention and 35 days, for both functions.
        assertThat(resources.environmentOf("BillingThreshold")).containsEntry("LEDGER_ENTRIES_KEPT", "PT888H");
        assertThat(resources.environmentOf("LowTraffic")).containsEntry("LEDGER_ENTRIES_KEPT", "PT888H");
        // The local KCL host gets Lambda's event source mapping exactly as the stack sets it:
        // no batching window; each retries a batch until its records expire.
        assertThat(resources.eventSourceMappingOf("BillingThreshold"))
                .isEqualTo(new EventSourceMapping(100, Duration.ZERO, true, true, -1));
        assertThat(resources.eventSourceMappingOf("LowTraffic"))
                .isEqualTo(new EventSourceMapping(100, Duration.ZERO, true, true, -1));
        assertThat(resources.sourceOf("BillingThreshold")).isEqualTo(resources.byId("CustomerWindowTotals"));
        assertThat(resources.sourceOf("LowTraffic")).isEqualTo(resources.byId("LowTrafficAlerts"));
        assertThat(resources.onFailureOf("LowTraffic")).isEqualTo(resources.byId("BatchesOnFailure"));
        // The job runs locally from the property group the stack gives it on Managed Flink.
        assertThat(resources.propertyGroupOf("Analytics", JobSettings.PROPERTY_GROUP))
                .containsEntry("input.stream", resources.byId("TollEvents").name())
                .containsEntry(
                        "output.customer-window-totals.stream-arn",
                        resources.byId("CustomerWindowTotals").arn())
                .containsEntry(
                        "output.low-traffic-alerts.stream-arn",
                        resources.byId("LowTrafficAlerts").arn())
                .containsEntry(
                        "output.dead-letters.stream-arn",
                        resources.byId("AnalyticsDeadLetters").arn())
                .containsEntry(
                        "reference.bucket", resources.byId("ReferenceData").name())
                .containsEntry("aws.region", aws.region().id());
    }
}
