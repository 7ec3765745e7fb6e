package org.abctolls.localkit;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Drives the AWS services the pipeline's data passes through (Kinesis, SNS to SQS, S3,
 * Firehose, and the warehouse) through one real round trip each, against whatever {@link
 * AwsTarget} it is given, and reports what it observed; {@link DynamoDbCheck} and {@link
 * CloudFormationCheck} do the same for DynamoDB and for CloudFormation with KMS. Each check
 * creates its own resources under random names and deletes them afterwards. {@code ./tolls
 * local check} runs them ({@link ServiceCheckCommand}); {@code ServiceCheckIT} asserts on what
 * they return.
 */
public final class ServiceCheck {

    /** Largest batch PutRecords accepts. */
    private static final int PUT_RECORDS_LIMIT = 500;

    private static final int PUT_ATTEMPTS = 8;
    private static final Duration RESOURCE_TIMEOUT = Duration.ofMinutes(2);

    /** Firehose buffers up to 60 s in AWS before it writes; the kit writes at once. */
    private static final Duration DELIVERY_TIMEOUT = Duration.ofMinutes(5);

    private final AwsTarget aws;

    public ServiceCheck(AwsTarget aws) {
        this.aws = aws;
    }

    public record KinesisRoundTrip(List<String> written, List<String> readBack, Map<String, Integer> recordsPerShard) {}

    /** PutRecords {@code count} records onto a new stream of {@code shards} shards and reads every shard back. */
    public KinesisRoundTrip kinesisRoundTrip(int count, int shards) {
        String stream = UniqueNames.of("check-stream");
        try (KinesisClient kinesis = aws.kinesis()) {
            KinesisStreams.create(kinesis, stream, shards);
            try {
                List<String> written = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    written.add("{\"check\":" + i + "}");
                }
                for (int from = 0; from < count; from += PUT_RECORDS_LIMIT) {
                    List<String> batch = written.subList(from, Math.min(count, from + PUT_RECORDS_LIMIT));
                    putAll(kinesis, stream, batch, from);
                }
                Map<String, List<Record>> byShard = KinesisStreams.readAll(kinesis, stream, count);
                List<String> readBack = new ArrayList<>();
                Map<String, Integer> perShard = new LinkedHashMap<>();
                byShard.forEach((shard, records) -> {
                    perShard.put(shard, records.size());
                    records.forEach(record -> readBack.add(record.data().asUtf8String()));
                });
                return new KinesisRoundTrip(written, readBack, perShard);
            } finally {
                kinesis.deleteStream(r -> r.streamName(stream).enforceConsumerDeletion(true));
            }
        }
    }

    /** Retries the entries a partly failed PutRecords call reports, with a growing pause. */
    private static void putAll(KinesisClient kinesis, String stream, List<String> batch, int firstIndex) {
        List<PutRecordsRequestEntry> pending = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            pending.add(PutRecordsRequestEntry.builder()
                    .partitionKey("key-" + (firstIndex + i))
                    .data(SdkBytes.fromUtf8String(batch.get(i)))
                    .build());
        }
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            if (attempt > PUT_ATTEMPTS) {
                throw new IllegalStateException(
                        pending.size() + " records still failing after " + PUT_ATTEMPTS + " attempts");
            }
            List<PutRecordsRequestEntry> sent = pending;
            List<PutRecordsResultEntry> results =
                    kinesis.putRecords(r -> r.streamName(stream).records(sent)).records();
            pending = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i).errorCode() != null) {
                    pending.add(sent.get(i));
                }
            }
            if (!pending.isEmpty()) {
                pause(Duration.ofMillis(50L << attempt));
            }
        }
    }

    /** Publishes to a new topic and returns what a subscribed queue received (raw delivery). */
    public String snsToSqs(String message) {
        String name = UniqueNames.of("check-alerts");
        try (SnsClient sns = aws.sns();
                SqsClient sqs = aws.sqs()) {
            String topicArn = sns.createTopic(r -> r.name(name)).topicArn();
            String queueUrl = TopicQueues.subscribeNewQueue(sns, sqs, topicArn, name);
            try {
                sns.publish(r -> r.topicArn(topicArn).message(message));
                return TopicQueues.receive(sqs, queueUrl, 1).get(0);
            } finally {
                sqs.deleteQueue(r -> r.queueUrl(queueUrl));
                sns.deleteTopic(r -> r.topicArn(topicArn));
            }
        }
    }

    /** Puts an object into a new bucket and returns what reading it back gives. */
    public byte[] s3PutGet(byte[] content) {
        String bucket = UniqueNames.of("check-bucket");
        try (S3Client s3 = aws.s3()) {
            createBucket(s3, bucket);
            try {
                s3.putObject(r -> r.bucket(bucket).key("reference/stations.csv"), RequestBody.fromBytes(content));
                return s3.getObjectAsBytes(r -> r.bucket(bucket).key("reference/stations.csv"))
                        .asByteArray();
            } finally {
                emptyAndDeleteBucket(s3, bucket);
            }
        }
    }

    /** Puts one record on a new DirectPut delivery stream and returns the S3 object it was delivered as. */
    public String firehoseToS3(String record) {
        String name = UniqueNames.of("check-delivery");
        try (S3Client s3 = aws.s3();
                FirehoseClient firehose = aws.firehose()) {
            createBucket(s3, name);
            try {
                firehose.createDeliveryStream(r -> r.deliveryStreamName(name)
                        .deliveryStreamType(DeliveryStreamType.DIRECT_PUT)
                        .extendedS3DestinationConfiguration(d -> d.roleARN(aws.firehoseRoleArn())
                                .bucketARN("arn:aws:s3:::" + name)
                                .prefix("raw/")
                                .errorOutputPrefix("errors/")
                                .bufferingHints(b -> b.intervalInSeconds(60).sizeInMBs(1))));
                try {
                    await("delivery stream " + name + " is active")
                            .atMost(RESOURCE_TIMEOUT)
                            .until(() -> firehose.describeDeliveryStream(r -> r.deliveryStreamName(name))
                                            .deliveryStreamDescription()
                                            .deliveryStreamStatus()
                                    == DeliveryStreamStatus.ACTIVE);
                    firehose.putRecord(r ->
                            r.deliveryStreamName(name).record(d -> d.data(SdkBytes.fromUtf8String(record + "\n"))));
                    List<S3Object> delivered = new ArrayList<>();
                    await("the record delivered to s3://" + name + "/raw/")
                            .atMost(DELIVERY_TIMEOUT)
                            .pollInterval(Duration.ofSeconds(1))
                            .until(() -> delivered.addAll(
                                    s3.listObjectsV2(r -> r.bucket(name).prefix("raw/"))
                                            .contents()));
                    return s3.getObjectAsBytes(
                                    r -> r.bucket(name).key(delivered.get(0).key()))
                            .asString(StandardCharsets.UTF_8);
                } finally {
                    firehose.deleteDeliveryStream(r -> r.deliveryStreamName(name));
                }
            } finally {
                emptyAndDeleteBucket(s3, name);
            }
        }
    }

    /** Writes a row into a table of a schema of its own on the kit's warehouse and reads it back as text. */
    public String warehouseRoundTrip() throws SQLException {
        Warehouse warehouse = aws.warehouse().orElseThrow(() -> new IllegalStateException("no warehouse on " + aws));
        String schema = UniqueNames.of("check").toLowerCase(Locale.ROOT).replace('-', '_');
        try (Connection connection = warehouse.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
            try {
                statement.execute("CREATE TABLE " + schema + ".checks (at TIMESTAMPTZ NOT NULL)");
                statement.execute("INSERT INTO " + schema + ".checks VALUES ('2026-11-16T08:00:00.250Z'::timestamptz)");
                try (ResultSet row = statement.executeQuery("SELECT at::text FROM " + schema + ".checks")) {
                    row.next();
                    return row.getString(1);
                }
            } finally {
                statement.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private void createBucket(S3Client s3, String bucket) {
        if (aws.region().equals(Region.US_EAST_1)) {
            s3.createBucket(r -> r.bucket(bucket));
        } else {
            s3.createBucket(r -> r.bucket(bucket)
                    .createBucketConfiguration(
                            c -> c.locationConstraint(aws.region().id())));
        }
    }

    private static void emptyAndDeleteBucket(S3Client s3, String bucket) {
        s3.listObjectsV2Paginator(r -> r.bucket(bucket))
                .contents()
                .forEach(object -> s3.deleteObject(r -> r.bucket(bucket).key(object.key())));
        s3.deleteBucket(r -> r.bucket(bucket));
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
