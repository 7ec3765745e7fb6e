package org.abctolls.localkit;

import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * CloudFormation's and KMS's part of the {@link ServiceCheck}: what the local pipeline deploys
 * its resources with. A stack of a KMS key and a queue encrypted with it is made, the queue is
 * found by the physical id the stack reports, and the stack is deleted.
 */
public final class CloudFormationCheck {

    private static final String TEMPLATE =
            """
            {"Resources": {
              "Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": {"AWS": {"Fn::Sub":
                  "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}, "Action": "kms:*", "Resource": "*"}]}}},
              "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"KmsMasterKeyId": {"Ref": "Key"}}}
            }}
            """;

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final AwsTarget aws;

    public CloudFormationCheck(AwsTarget aws) {
        this.aws = aws;
    }

    /** The stack's key, and the key its queue is encrypted with as SQS describes the queue. */
    public record EncryptedQueue(String stackKeyId, String queueKeyId) {}

    public EncryptedQueue encryptedQueueStack() {
        String stack = UniqueNames.of("check-stack");
        try (CloudFormationClient cloudFormation = aws.cloudFormation();
                SqsClient sqs = aws.sqs()) {
            try {
                Map<String, String> made = CloudFormationStacks.create(cloudFormation, stack, TEMPLATE, TIMEOUT);
                return new EncryptedQueue(
                        made.get("Key"),
                        sqs.getQueueAttributes(r -> r.queueUrl(made.get("Queue"))
                                        .attributeNames(QueueAttributeName.KMS_MASTER_KEY_ID))
                                .attributes()
                                .get(QueueAttributeName.KMS_MASTER_KEY_ID));
            } finally {
                cloudFormation.deleteStack(r -> r.stackName(stack));
            }
        }
    }
}
