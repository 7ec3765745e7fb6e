package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The packaged jar holds what Managed Flink needs and nothing Flink itself provides. */
class ShadedJarIT {

    private static final Path JAR = Path.of("target", "abc-tolls-analytics.jar");

    @Test
    void theJarStartsTheJobAndCarriesItsConnectorsButNotFlink() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(AnalyticsJob.class.getName());
            assertThat(jar.stream().map(ZipEntry::getName))
                    .contains(
                            "org/abctolls/analytics/AnalyticsJob.class",
                            "org/abctolls/domain/TollJson.class",
                            "org/apache/flink/streaming/connectors/kinesis/FlinkKinesisConsumer.class",
                            "org/apache/flink/connector/kinesis/sink/KinesisStreamsSink.class",
                            "org/apache/flink/connector/datagen/source/DataGeneratorSource.class",
                            "com/amazonaws/services/kinesisanalytics/runtime/KinesisAnalyticsRuntime.class",
                            "software/amazon/awssdk/services/s3/S3Client.class")
                    .doesNotContain(
                            "org/apache/flink/streaming/api/environment/StreamExecutionEnvironment.class",
                            "org/apache/flink/runtime/minicluster/MiniCluster.class",
                            "org/slf4j/Logger.class");
            // Merged, not overwritten: the S3 client finds its HTTP client through this file.
            String httpServices = new String(
                    jar.getInputStream(jar.getEntry("META-INF/services/software.amazon.awssdk.http.SdkHttpService"))
                            .readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(httpServices).contains("software.amazon.awssdk.http.apache5.Apache5SdkHttpService");
        }
    }
}
