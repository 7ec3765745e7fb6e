package org.abctolls.localkit;

import java.time.Duration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.waiters.CloudFormationWaiter;
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

    private final AwsTarget aws;

    public CloudFormationCheck(AwsTarget aws) {
        this.aws = aws;
    }

    /** The stack's key, and the key its queue is encrypted with as SQS describes the queue. */
    public record EncryptedQueue(String stackKeyId, String queueKeyId) {}

    public EncryptedQueue encryptedQueueStack() {
        String stack = UniqueNames.of("check-stack");
        try (CloudFormationClient cloudFormation = aws.cloudFormation();
                SqsClient sqs = aws.sqs();
                CloudFormationWaiter waiter = CloudFormationWaiter.builder()
                        .client(cloudFormation)
                        .overrideConfiguration(poll -> poll.backoffStrategyV2(
                                        BackoffStrategy.fixedDelayWithoutJitter(Duration.ofSeconds(1)))
                                .maxAttempts(300))
                        .build()) {
            cloudFormation.createStack(r -> r.stackName(stack).templateBody(TEMPLATE));
            try {
                waiter.waitUntilStackCreateComplete(r -> r.stackName(stack));
                String queueUrl = physicalId(cloudFormation, stack, "Queue");
                return new EncryptedQueue(
                        physicalId(cloudFormation, stack, "Key"),
                        sqs.getQueueAttributes(
                                        r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.KMS_MASTER_KEY_ID))
                                .attributes()
                                .get(QueueAttributeName.KMS_MASTER_KEY_ID));
            } finally {
                cloudFormation.deleteStack(r -> r.stackName(stack));
            }
        }
    }

    private static String physicalId(CloudFormationClient cloudFormation, String stack, String logicalId) {
        return cloudFormation
                .describeStackResource(r -> r.stackName(stack).logicalResourceId(logicalId))
                .stackResourceDetail()
                .physicalResourceId();
    }
}
