package org.abctolls.localpipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What of the stack's template the kit's CloudFormation is given. */
class KitStackTest {

    private static final String TEMPLATE =
            """
            {"Resources": {
              "Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Statement": [
                {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "kms:*"},
                {"Effect": "Allow", "Principal": {"AWS": {"Fn::GetAtt": ["FunctionRole", "Arn"]}},
                 "Action": "kms:Decrypt"}]}},
                "DeletionPolicy": "Retain", "Metadata": {"aws:cdk:path": "Stack/Key/Resource"}},
              "Events": {"Type": "AWS::Kinesis::Stream",
                "Properties": {"Name": "toll-events", "ShardCount": 1, "StreamEncryption": {"KeyId": {"Ref": "Key"}}},
                "DependsOn": ["Key", "FunctionRole"]},
              "Alerts": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "alerts.fifo", "FifoTopic": true}},
              "AlertsPolicy": {"Type": "AWS::SNS::TopicPolicy", "Properties": {"Topics": [{"Ref": "Alerts"}],
                "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "sns:Publish",
                  "Principal": {"AWS": {"Fn::GetAtt": ["FunctionRole", "Arn"]}}, "Resource": {"Ref": "Alerts"}}]}}},
              "Archive": {"Type": "AWS::S3::Bucket",
                "Properties": {"LoggingConfiguration": {"DestinationBucketName": {"Ref": "Logs"}}}},
              "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {}},
              "FunctionRole": {"Type": "AWS::IAM::Role", "Properties": {}},
              "Ledger": {"Type": "AWS::DynamoDB::Table", "Properties": {}}
            }}
            """;

    @Test
    void theKitStackHoldsTheDeployableResourcesAsTheTemplateDeclaresThemAndNothingThatNamesWhatItLacks(
            @TempDir Path folder) throws IOException {
        Path file = folder.resolve("template.json");
        Files.writeString(file, TEMPLATE);

        ObjectNode stack = KitStack.templateOf(StackTemplate.read(file), "tolls-1a2b");

        JsonNode resources = stack.path("Resources");
        // No engine here makes tables, roles or log groups; a bucket that logs to a log group goes too.
        assertThat(resources.fieldNames()).toIterable().containsExactlyInAnyOrder("Key", "Events", "Alerts");
        assertThat(resources.path("Key").path("Properties").path("KeyPolicy").path("Statement"))
                .hasSize(1);
        assertThat(resources.path("Key").path("DeletionPolicy").asText()).isEqualTo("Retain");
        assertThat(resources.path("Key").has("Metadata")).isFalse();
        assertThat(resources
                        .path("Events")
                        .path("Properties")
                        .path("StreamEncryption")
                        .path("KeyId")
                        .path("Ref")
                        .asText())
                .isEqualTo("Key");
        assertThat(resources.path("Events").path("DependsOn"))
                .extracting(JsonNode::asText)
                .containsExactly("Key");
        // Runs on one kit must not share a stream or topic of a fixed name.
        assertThat(resources.path("Events").path("Properties").path("Name").asText())
                .isEqualTo("tolls-1a2b-toll-events");
        assertThat(resources.path("Alerts").path("Properties").path("TopicName").asText())
                .isEqualTo("tolls-1a2b-alerts.fifo");
    }
}
