package org.abctolls.localpipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The raw archive: the stack's delivery stream, made on the kit from the local template,
 * must put every record sent to {@code TollEvents}, valid or not, unchanged into the archive
 * bucket. Runs where the kit's Firehose can read Kinesis; elsewhere it is skipped with the
 * reason.
 */
@ExtendWith(LocalAwsExtension.class)
class RawArchiveIT {

    @Test
    void everyRecordSentReachesTheRawArchiveUnchanged_whereTheKitsFirehoseCanReadKinesis(AwsTarget aws)
            throws Exception {
        LocalResources resources =
                LocalResources.create(aws, StackTemplate.read(EndToEndIT.TEMPLATE), UniqueNames.of("archive"));
        LocalResources.Made deliveryStream = resources.byId("Warehouse");
        await("the archive's delivery stream to be created or to fail")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> LocalResources.deliveryStreamStatus(aws, deliveryStream) != DeliveryStreamStatus.CREATING);
        DeliveryStreamStatus status = LocalResources.deliveryStreamStatus(aws, deliveryStream);
        assumeTrue(
                status == DeliveryStreamStatus.ACTIVE,
                "the kit's Firehose cannot read Kinesis here (delivery stream " + status + "): LocalStack 4.14"
                        + " reads a Kinesis source through the KCL on a Java 11 runtime that it downloads from"
                        + " GitHub, which this machine cannot reach");

        List<Emission> hour = Generator.generate(SimulationOptions.defaults()
                        .withSeed(7)
                        .withTraffic(SimulationOptions.DEFAULT_START, Duration.ofHours(1), 4, 100, 60)
                        .withScenarios(SimulationOptions.Scenarios.ALL))
                .emissions();
        try (KinesisClient kinesis = aws.kinesis();
                S3Client s3 = aws.s3()) {
            KinesisPublisher publisher = new KinesisPublisher(
                    kinesis::putRecords,
                    resources.byId("TollEvents").name(),
                    KinesisPublisher.RetryPolicy.DEFAULT,
                    duration -> Thread.sleep(duration.toMillis()),
                    new Random(1));
            publisher.publish(hour);
            assertThat(publisher.stats().failed()).isZero();
            String sent = String.join("", hour.stream().map(Emission::text).toList());
            String bucket = resources.byId("Archive").name();

            // Firehose writes the records as they came, back to back, gzipped, one object per
            // buffer flush (every 5 minutes): one shard, so in the order sent.
            await("every record in the raw archive")
                    .atMost(Duration.ofMinutes(8))
                    .pollInterval(Duration.ofSeconds(5))
                    .until(() -> archived(s3, bucket).length() >= sent.length());
            assertThat(archived(s3, bucket)).isEqualTo(sent);
        }
    }

    private static String archived(S3Client s3, String bucket) {
        List<S3Object> objects = s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix("raw/")).contents().stream()
                .sorted(Comparator.comparing(S3Object::key))
                .toList();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (S3Object object : objects) {
            try (GZIPInputStream gzip =
                    new GZIPInputStream(s3.getObject(r -> r.bucket(bucket).key(object.key())))) {
                gzip.transferTo(all);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + object.key(), e);
            }
        }
        return all.toString(StandardCharsets.UTF_8);
    }
}
