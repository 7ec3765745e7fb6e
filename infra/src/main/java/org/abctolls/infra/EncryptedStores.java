package org.abctolls.infra;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kinesis.StreamEncryption;
import software.amazon.awscdk.services.kinesis.StreamMode;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The pipeline's streams, buckets, tables and queues, each encrypted with the one key; buckets
 * and tables outlive the stack. They are made in the given scope itself, not in a construct of
 * their own, so that their logical ids stay those of the stack.
 */
final class EncryptedStores {

    private final Construct scope;
    private final IKey key;
    private final PipelineSettings settings;
    private final Bucket accessLogs;

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
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    Stream stream(String id) {
        Stream.Builder stream = Stream.Builder.create(scope, id)
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
