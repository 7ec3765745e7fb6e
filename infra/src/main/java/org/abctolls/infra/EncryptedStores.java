package org.abctolls.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.IAspect;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kinesis.StreamEncryption;
import software.amazon.awscdk.services.kinesis.StreamMode;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.logs.CfnLogGroup;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The pipeline's streams, buckets, tables, topics and queues, each encrypted with the one key; buckets
 * and tables outlive the stack. They are made in the given scope itself, not in a construct of
 * their own, so that their logical ids stay those of the stack.
 */
final class EncryptedStores {

    private final Construct scope;
    private final IKey key;
    private final PipelineSettings settings;
    private final Bucket accessLogs;
    private boolean alarmsMayUseKey;

    EncryptedStores(Construct scope, IKey key, PipelineSettings settings) {
        this.scope = scope;
        this.key = key;
        this.settings = settings;
        accessLogs = Bucket.Builder.create(scope, "AccessLogs")
                // Server access logs can only be delivered to a bucket with S3-managed keys.
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .versioned(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    /**
     * A stream named as the contract names it (or, where it does not, in the same style).
     * Deleted with the stack, unlike the stores: what it holds is archived or applied
     * downstream, and a stream left behind would keep its name from the next deploy.
     */
    Stream stream(String id, String name) {
        Stream.Builder stream = Stream.Builder.create(scope, id)
                .streamName(name)
                .removalPolicy(RemovalPolicy.DESTROY)
                .encryption(StreamEncryption.KMS)
                .encryptionKey(key)
                .streamMode(settings.streamMode())
                .retentionPeriod(settings.retention());
        if (settings.streamMode() == StreamMode.PROVISIONED) {
            stream.shardCount(settings.shards());
        }
        Stream built = stream.build();
        Findings.accept(
                built,
                "AwsSolutions-KDS3",
                "One customer-managed key for all the pipeline's data, so that its key policy and CloudTrail "
                        + "record govern every copy of a toll; its cost is one key and the KMS requests, which "
                        + "the Kinesis client's data-key caching keeps low");
        return built;
    }

    /** A bucket for the pipeline's data, its server access logged. */
    Bucket bucket(String id) {
        return Bucket.Builder.create(scope, id)
                .encryption(BucketEncryption.KMS)
                .encryptionKey(key)
                .bucketKeyEnabled(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .versioned(true)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix(id + "/")
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    /** A table billed per request, with point-in-time recovery; with a sort key, items expire at {@code expiresAt}. */
    Table table(String id, String partitionKey, String sortKey) {
        Table.Builder table = Table.Builder.create(scope, id)
                .partitionKey(Attribute.builder()
                        .name(partitionKey)
                        .type(AttributeType.STRING)
                        .build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true)
                        .build())
                .encryption(TableEncryption.CUSTOMER_MANAGED)
                .encryptionKey(key)
                .removalPolicy(RemovalPolicy.RETAIN);
        if (sortKey != null) {
            table.sortKey(Attribute.builder()
                            .name(sortKey)
                            .type(AttributeType.STRING)
                            .build())
                    .timeToLiveAttribute("expiresAt");
        }
        return table.build();
    }

    /** A topic that accepts only TLS; FIFO if named (a FIFO topic's name ends in {@code .fifo}). */
    Topic topic(String id, String fifoName) {
        Topic.Builder topic = Topic.Builder.create(scope, id).masterKey(key).enforceSsl(true);
        if (fifoName != null) {
            topic.topicName(fifoName).fifo(true);
        }
        return topic.build();
    }

    /**
     * Lets this account's CloudWatch alarms publish to an encrypted topic: the topic policy that
     * {@code enforceSsl} writes replaces SNS's default one, which let alarms publish, and
     * CloudWatch publishes to a KMS-encrypted topic only if the key lets it; otherwise SNS drops
     * the message and the alarm reaches nobody.
     */
    void allowAlarmsToPublish(Topic topic) {
        if (!alarmsMayUseKey) {
            alarmsMayUseKey = true;
            key.addToResourcePolicy(PolicyStatement.Builder.create()
                    .sid("CloudWatchAlarmsOfThisAccountPublishToEncryptedTopics")
                    .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                    .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                    .resources(List.of("*"))
                    .conditions(thisAccountsAlarms())
                    .build());
        }
        topic.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CloudWatchAlarmsOfThisAccountPublish")
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("sns:Publish"))
                .resources(List.of(topic.getTopicArn()))
                .conditions(thisAccountsAlarms())
                .build());
    }

    /**
     * Every log group of the stack under the stack's key, not CloudWatch Logs' own: the
     * functions' and the job's logs name customers and stations. CloudWatch Logs may use the key
     * for this account's log groups in this region only.
     */
    void encryptLogGroups() {
        Stack stack = Stack.of(scope);
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CloudWatchLogsOfThisAccountEncryptLogGroups")
                .principals(List.of(new ServicePrincipal(Fn.sub("logs.${AWS::Region}.amazonaws.com"))))
                .actions(List.of(
                        "kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"))
                .resources(List.of("*"))
                .conditions(Map.of(
                        "ArnLike",
                        Map.of(
                                "kms:EncryptionContext:aws:logs:arn",
                                stack.formatArn(ArnComponents.builder()
                                        .service("logs")
                                        .resource("log-group")
                                        .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                                        .resourceName("*")
                                        .build()))))
                .build());
        Aspects.of(stack).add(new IAspect() {
            @Override
            public void visit(IConstruct node) {
                if (node instanceof CfnLogGroup logGroup) {
                    logGroup.setKmsKeyId(key.getKeyArn());
                }
            }
        });
    }

    /** A request made by CloudWatch for one of this account's alarms in this region. */
    private Map<String, Object> thisAccountsAlarms() {
        Stack stack = Stack.of(scope);
        return Map.of(
                "StringEquals",
                Map.of("aws:SourceAccount", stack.getAccount()),
                "ArnLike",
                Map.of(
                        "aws:SourceArn",
                        stack.formatArn(ArnComponents.builder()
                                .service("cloudwatch")
                                .resource("alarm")
                                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                                .resourceName("*")
                                .build())));
    }

    /** Reads and writes the table's items whose partition key matches {@code leadingKeys}, one at a time. */
    void grantItemsUnder(Table table, Function function, String leadingKeys) {
        function.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"))
                .resources(List.of(table.getTableArn()))
                // Null=false: a request naming no key (a Scan) must not pass ForAllValues empty.
                .conditions(Map.of(
                        "ForAllValues:StringLike",
                        Map.of("dynamodb:LeadingKeys", List.of(leadingKeys)),
                        "Null",
                        Map.of("dynamodb:LeadingKeys", "false")))
                .build());
        key.grantEncryptDecrypt(function);
    }

    /** A dead-letter queue, kept 14 days. */
    Queue queue(String id) {
        Queue queue = Queue.Builder.create(scope, id)
                .encryption(QueueEncryption.KMS)
                .encryptionMasterKey(key)
                .enforceSsl(true)
                .retentionPeriod(software.amazon.awscdk.Duration.days(14))
                .build();
        Findings.accept(
                queue,
                "AwsSolutions-SQS3",
                "This queue is itself a dead-letter destination (records or batches the functions could not "
                        + "handle); its depth is alarmed on");
        return queue;
    }
}
