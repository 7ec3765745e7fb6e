package org.abctolls.localpipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.LocalAwsExtension;
import org.abctolls.localkit.UniqueNames;
import org.abctolls.sim.Emission;
import org.abctolls.sim.Generator;
import org.abctolls.sim.KinesisPublisher;
import org.abctolls.sim.SimulationOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The raw archive: the stack's delivery stream, made on the kit from the local template and
 * fed from {@code TollEvents} by the forwarder (the kit's Firehose cannot read Kinesis), must
 * put every record sent, valid or not, unchanged into the archive bucket, under the
 * template's prefix, gzipped.
 */
@ExtendWith(LocalAwsExtension.class)
class RawArchiveIT {

    @Test
    void everyRecordSentReachesTheRawArchiveUnchangedUnderTheTemplatesPrefixGzipped(AwsTarget aws) throws Exception {
        String prefix = UniqueNames.of("archive");
        LocalResources resources = LocalResources.create(aws, StackTemplate.read(EndToEndIT.TEMPLATE), prefix);
        List<Emission> hour = new ArrayList<>(Generator.generate(SimulationOptions.defaults()
                        .withSeed(7)
                        .withTraffic(SimulationOptions.DEFAULT_START, Duration.ofHours(1), 4, 100, 60)
                        .withScenarios(SimulationOptions.Scenarios.ALL))
                .emissions());
        Instant midway = hour.get(hour.size() / 2).arrival();
        hour.add(hour.size() / 2, Emission.of("checksum error", "S0001", midway, Emission.Kind.MALFORMED));
        hour.add(
                hour.size() / 2,
                new Emission(
                        "{\"stationName\":\"S\u00e3o Paulo\"}".getBytes(StandardCharsets.ISO_8859_1),
                        "S0001",
                        midway,
                        Emission.Kind.MALFORMED));
        try (KinesisClient kinesis = aws.kinesis();
                DynamoDbClient dynamoDb = aws.dynamoDb();
                S3Client s3 = aws.s3();
                SqsClient sqs = aws.sqs();
                HostedHandlers archive = HostedHandlers.archiveForwarders(aws, resources, prefix, sqs)) {
            archive.awaitProcessingEveryShard(kinesis);
            KinesisPublisher publisher = new KinesisPublisher(
                    kinesis::putRecords,
                    resources.byId("TollEvents").name(),
                    KinesisPublisher.RetryPolicy.DEFAULT,
                    duration -> Thread.sleep(duration.toMillis()),
                    new Random(1));
            publisher.publish(hour);
            assertThat(publisher.stats().failed()).isZero();

            archive.awaitCheckpointedEveryRecord(kinesis, dynamoDb, Duration.ofMinutes(5));

            String bucket = resources.byId("Archive").name();
            List<S3Object> objects = await("the archive's objects")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> objects(s3, bucket), found -> !found.isEmpty());
            assertThat(objects)
                    .extracting(S3Object::key)
                    .allMatch(key -> key.matches("raw/\\d{4}/\\d{2}/\\d{2}/\\d{2}/" + prefix + "-Warehouse-.*\\.gz"));
            assertThat(tile(sent(hour), contents(s3, bucket, objects)))
                    .as("the objects, put side by side, are the records sent, in the order sent")
                    .isTrue();
        }
    }

    private static List<S3Object> objects(S3Client s3, String bucket) {
        return s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix("raw/")).contents().stream()
                .toList();
    }

    /** The records back to back, one byte per character, as Firehose concatenates them. */
    private static String sent(List<Emission> records) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        records.forEach(record -> all.writeBytes(record.data()));
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    private static List<String> contents(S3Client s3, String bucket, List<S3Object> objects) {
        List<String> contents = new ArrayList<>();
        for (S3Object object : objects) {
            try (GZIPInputStream gzip =
                    new GZIPInputStream(s3.getObject(r -> r.bucket(bucket).key(object.key())))) {
                contents.add(new String(gzip.readAllBytes(), StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + object.key() + " as gzip", e);
            }
        }
        return contents;
    }

    /**
     * Whether the pieces, each placed where it occurs in the whole, cover it exactly once: object
     * names within one second do not tell the order they were written in, the content does.
     */
    private static boolean tile(String whole, List<String> pieces) {
        List<int[]> spans = new ArrayList<>();
        for (String piece : pieces) {
            int at = whole.indexOf(piece);
            if (piece.isEmpty() || at < 0) {
                return false;
            }
            spans.add(new int[] {at, at + piece.length()});
        }
        spans.sort(Comparator.comparingInt(span -> span[0]));
        int covered = 0;
        for (int[] span : spans) {
            if (span[0] != covered) {
                return false;
            }
            covered = span[1];
        }
        return covered == whole.length();
    }
}
