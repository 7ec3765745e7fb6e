package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.abctolls.domain.ThresholdSlot;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.LocalAwsExtension;
import org.abctolls.localkit.UniqueNames;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Reloading the reference data from S3 while the job runs, against the local kit's S3: every
 * poll answers, usable or not, and never fails the job (the evaluator keeps the version in force).
 */
@ExtendWith(LocalAwsExtension.class)
class S3ReferenceDataPollerIT {

    private static final String STATIONS = "stationId,name,timeZone\nS0001,Riverside Plaza,UTC\n";
    private static final String HEADER = "stationId,dayOfWeek,slotStart,minVehicles\n";
    private static final long SMALL_LIMIT = 4_096;

    private final String bucket = UniqueNames.of("reference-data");
    private final SimpleCounter rejected = new SimpleCounter();
    private final Map<String, Metric> metrics = new HashMap<>();
    private S3Client s3;
    private S3ReferenceDataPoller poller;

    @BeforeEach
    void createBucket(AwsTarget aws) {
        s3 = aws.s3();
        s3.createBucket(request -> request.bucket(bucket));
        poller = new S3ReferenceDataPoller(KitConnection.of(aws)::s3, location(), SMALL_LIMIT);
        poller.open(readerContext());
    }

    @AfterEach
    void close() {
        poller.close();
        s3.close();
    }

    private S3ReferenceDataPoller.Location location() {
        return new S3ReferenceDataPoller.Location(bucket, "stations.csv", "station-thresholds.csv");
    }

    /**
     * A source reader's context whose metric group records the metrics registered in the group
     * Managed Flink sends to CloudWatch, by name.
     */
    private SourceReaderContext readerContext() {
        SourceReaderMetricGroup unregistered = UnregisteredMetricsGroup.createSourceReaderMetricGroup();
        MetricGroup sentToCloudWatch = (MetricGroup) Proxy.newProxyInstance(
                S3ReferenceDataPollerIT.class.getClassLoader(),
                new Class<?>[] {MetricGroup.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("counter") && args.length == 1) {
                        metrics.put((String) args[0], rejected);
                        return rejected;
                    }
                    if (method.getName().equals("gauge")) {
                        metrics.put((String) args[0], (Metric) args[1]);
                        return args[1];
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        SourceReaderMetricGroup root = (SourceReaderMetricGroup) Proxy.newProxyInstance(
                S3ReferenceDataPollerIT.class.getClassLoader(),
                new Class<?>[] {SourceReaderMetricGroup.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("addGroup")
                            && args.length == 1
                            && AnalyticsJob.CountLatePassages.METRIC_GROUP.equals(args[0])) {
                        return sentToCloudWatch;
                    }
                    try {
                        return method.invoke(unregistered, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return (SourceReaderContext) Proxy.newProxyInstance(
                S3ReferenceDataPollerIT.class.getClassLoader(),
                new Class<?>[] {SourceReaderContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("metricGroup")) {
                        return root;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private Object unusable() {
        return ((Gauge<?>) metrics.get(S3ReferenceDataPoller.UNUSABLE)).getValue();
    }

    private void put(String key, String content) {
        put(key, content.getBytes(StandardCharsets.UTF_8));
    }

    private void put(String key, byte[] content) {
        s3.putObject(request -> request.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }

    @Test
    void aChangedFileIsANewVersionAndAnInvalidOneIsAnsweredUnusableOnceCounted() {
        put("stations.csv", STATIONS);
        put("station-thresholds.csv", HEADER + "S0001,MONDAY,08:00,10\n");

        ReferenceDataSnapshot first = poller.map(0L);
        assertThat(first.isUsable()).isTrue();
        assertThat(poller.map(1L)).isSameAs(first);

        put("station-thresholds.csv", HEADER + "S0001,MONDAY,08:00,25\n");
        ReferenceDataSnapshot second = poller.map(2L);
        assertThat(second.version()).isNotEqualTo(first.version());
        assertThat(second.parse()
                        .thresholds()
                        .minVehicles("S0001", new ThresholdSlot(DayOfWeek.MONDAY, LocalTime.of(8, 0))))
                .hasValue(25);

        // A threshold for a station that stations.csv does not (yet) list.
        put("station-thresholds.csv", HEADER + "S0002,MONDAY,08:00,5\n");
        ReferenceDataSnapshot broken = poller.map(3L);
        assertThat(broken.isUsable()).isFalse();
        assertThat(broken.problem()).contains("station-thresholds.csv line 2", "unknown station S0002");
        assertThat(poller.map(4L)).isSameAs(broken);
        assertThat(metrics.get(S3ReferenceDataPoller.REJECTED)).isSameAs(rejected);
        assertThat(rejected.getCount()).isEqualTo(1);
        assertThat(unusable())
                .as("the newest version refused: operators are alarmed")
                .isEqualTo(1);

        put("stations.csv", STATIONS + "S0002,Lakeshore Gate,UTC\n");
        ReferenceDataSnapshot third = poller.map(5L);
        assertThat(third.parse().stations()).hasSize(2);
        assertThat(unusable()).as("fixed: the alarm clears").isEqualTo(0);
    }

    @Test
    void aFileWithAnUnclosedQuoteOrThatIsNotUtf8IsUnusableAndNeverFailsTheJob() {
        put("stations.csv", "stationId,name,timeZone\nS0001,\"Riverside Plaza,UTC\n");
        put("station-thresholds.csv", HEADER);
        assertThat(poller.map(0L).problem()).contains("stations.csv", "not valid CSV");

        put("stations.csv", "stationId,name,timeZone\nS0001,Zürich,UTC\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(poller.map(1L).problem()).startsWith("a file is not UTF-8 text");
        assertThat(rejected.getCount()).isEqualTo(2);
    }

    @Test
    void noFilesAtAllAreAnUnusableVersionThatOperatorsAreAlarmedOf() {
        assertThat(poller.map(0L).problem()).contains("cannot read s3://" + bucket);
        assertThat(unusable()).isEqualTo(1);
    }

    @Test
    void anObjectOverTheSizeLimitIsNotEvenDownloaded() {
        put("stations.csv", STATIONS + "S0002,Lakeshore Gate,UTC\n".repeat(200));
        put("station-thresholds.csv", HEADER);

        assertThat(poller.map(0L).problem()).contains("more than the " + SMALL_LIMIT);
    }

    /**
     * A poll looks at both objects' ETags, then downloads them. An upload in between must not be
     * read as the version the look found: the poll looks again and answers the version it reads,
     * here one over the size limit, so not downloaded.
     */
    @Test
    void aFileReplacedBetweenTheLookAndTheDownloadIsReadAsTheVersionItIs(AwsTarget aws) {
        put("stations.csv", STATIONS);
        put("station-thresholds.csv", HEADER);
        byte[] oversized = (STATIONS + "S0002,Lakeshore Gate,UTC\n".repeat(200)).getBytes(StandardCharsets.UTF_8);
        S3ReferenceDataPoller racing = racingPoller(aws, oversized, 1);
        try {
            ReferenceDataSnapshot raced = racing.map(0L);

            assertThat(raced.problem()).contains("more than the " + SMALL_LIMIT);
            assertThat(raced.version())
                    .startsWith(s3.headObject(request -> request.bucket(bucket).key("stations.csv"))
                            .eTag());
            assertThat(rejected.getCount()).isEqualTo(1);
        } finally {
            racing.close();
        }
    }

    /** With a version in force, a replacement while it is read is neither an outage nor a bad upload. */
    @Test
    void aReplacementWhileAChangedFileIsReadIsTheNewVersionUncounted(AwsTarget aws) {
        put("stations.csv", STATIONS);
        put("station-thresholds.csv", HEADER);
        // The first poll downloads both files; the second, after the upload below, starts with stations.csv.
        S3ReferenceDataPoller racing =
                racingPoller(aws, (STATIONS + "S0003,Harbour Gate,UTC\n").getBytes(StandardCharsets.UTF_8), 3);
        try {
            assertThat(racing.map(0L).isUsable()).isTrue();
            put("stations.csv", STATIONS + "S0002,Lakeshore Gate,UTC\n");

            ReferenceDataSnapshot raced = racing.map(1L);

            assertThat(raced.isUsable()).isTrue();
            assertThat(raced.parse().stations())
                    .extracting(station -> station.stationId())
                    .containsExactly("S0001", "S0003");
            assertThat(rejected.getCount()).isZero();
        } finally {
            racing.close();
        }
    }

    /** A poller whose client uploads {@code stations} as stations.csv just before its download number {@code download}. */
    private S3ReferenceDataPoller racingPoller(AwsTarget aws, byte[] stations, int download) {
        S3ReferenceDataPoller racing = new S3ReferenceDataPoller(
                () -> replacingStationsBeforeADownload(KitConnection.of(aws).s3(), stations, download),
                location(),
                SMALL_LIMIT);
        racing.open(readerContext());
        return racing;
    }

    private S3Client replacingStationsBeforeADownload(S3Client s3, byte[] stations, int download) {
        AtomicInteger downloads = new AtomicInteger();
        return (S3Client) Proxy.newProxyInstance(
                S3ReferenceDataPollerIT.class.getClassLoader(),
                new Class<?>[] {S3Client.class},
                (proxy, method, args) -> {
                    if (method.getName().startsWith("getObject") && downloads.incrementAndGet() == download) {
                        s3.putObject(
                                request -> request.bucket(bucket).key("stations.csv"), RequestBody.fromBytes(stations));
                    }
                    try {
                        return method.invoke(s3, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void missingFilesAreAnsweredUnusableNamingWhereItLookedUntilTheyAppear() {
        ReferenceDataSnapshot none = poller.map(0L);
        assertThat(none.isUsable()).isFalse();
        assertThat(none.problem()).startsWith("cannot read s3://" + bucket + "/{stations.csv,station-thresholds.csv}");

        put("stations.csv", STATIONS);
        put("station-thresholds.csv", HEADER);
        assertThat(poller.map(1L).isUsable()).isTrue();
    }
}
