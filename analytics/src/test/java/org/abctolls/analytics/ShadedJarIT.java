package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The packaged jar holds what Managed Flink needs, nothing Flink itself provides, and loads on its Java. */
class ShadedJarIT {

    private static final Path JAR = Path.of("target", "abc-tolls-analytics.jar");
    private static final int JAVA_11_CLASS_VERSION = 55;
    private static final String REWRITE_PREFIX = "org/abctolls/analytics/java11/";

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
            // Merged, not overwritten: the SDK finds its HTTP clients through this file.
            String httpServices = new String(
                    jar.getInputStream(jar.getEntry("META-INF/services/software.amazon.awssdk.http.SdkHttpService"))
                            .readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(httpServices).contains("software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService");
        }
    }

    /**
     * Managed Flink's 1.x runtimes run Java 11 (class files up to version 55): every class in the
     * jar, the job's own (written for Java 17, rewritten by the build) included, must be one.
     * {@code AnalyticsJobIT} runs the jar there.
     */
    @Test
    void everyClassInTheJarIsAJava11Class() throws IOException {
        List<String> newer = new ArrayList<>();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                if (!entry.getName().endsWith(".class")) {
                    continue;
                }
                try (DataInputStream header = new DataInputStream(jar.getInputStream(entry))) {
                    header.skipNBytes(6);
                    int major = header.readUnsignedShort();
                    if (major > JAVA_11_CLASS_VERSION) {
                        newer.add(entry.getName() + " (" + major + ")");
                    }
                }
            }
        }
        assertThat(newer).isEmpty();
    }

    /** The LGPL-2.1 classes the rewrite placed in the jar are each named in its notice, with their licence. */
    @Test
    void theJarsNoticeNamesEveryClassTheRewritePlacedInIt() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            String notice = new String(
                    jar.getInputStream(jar.getEntry("META-INF/NOTICE-jvmdowngrader.txt"))
                            .readAllBytes(),
                    StandardCharsets.UTF_8);
            List<String> placed = jar.stream()
                    .map(ZipEntry::getName)
                    .filter(name -> name.startsWith(REWRITE_PREFIX) && name.endsWith(".class"))
                    .map(name -> name.substring(REWRITE_PREFIX.length(), name.length() - ".class".length()))
                    .toList();
            assertThat(placed).isNotEmpty().allSatisfy(name -> assertThat(notice)
                    .contains(name));
            assertThat(notice).contains("GNU Lesser General Public License, version 2.1");
        }
    }
}
