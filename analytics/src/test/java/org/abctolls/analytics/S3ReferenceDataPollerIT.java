package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.LocalTime;
import org.abctolls.domain.ReferenceDataException;
import org.abctolls.domain.ThresholdSlot;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.LocalAwsExtension;
import org.abctolls.localkit.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Reloading the reference data from S3 while the job runs, against the local kit's S3. */
@ExtendWith(LocalAwsExtension.class)
class S3ReferenceDataPollerIT {

    private static final String STATIONS = "stationId,name,timeZone\nS0001,Riverside Plaza,UTC\n";
    private static final String HEADER = "stationId,dayOfWeek,slotStart,minVehicles\n";

    private final String bucket = UniqueNames.of("reference-data");
    private S3Client s3;
    private S3ReferenceDataPoller poller;

    @BeforeEach
    void createBucket(AwsTarget aws) {
        s3 = aws.s3();
        s3.createBucket(request -> request.bucket(bucket));
        poller = new S3ReferenceDataPoller(
                KitConnection.of(aws),
                new S3ReferenceDataPoller.Location(bucket, "stations.csv", "station-thresholds.csv"));
        poller.open(null);
    }

    @AfterEach
    void close() {
        poller.close();
        s3.close();
    }

    private void put(String key, String content) {
        s3.putObject(request -> request.bucket(bucket).key(key), RequestBody.fromString(content));
    }

    @Test
    void aChangedFileIsReadAsANewVersionAndAnInvalidOneLeavesThePreviousInForce() {
        put("stations.csv", STATIONS);
        put("station-thresholds.csv", HEADER + "S0001,MONDAY,08:00,10\n");

        ReferenceDataSnapshot first = poller.map(0L);
        ReferenceDataSnapshot unchanged = poller.map(1L);
        assertThat(first.thresholdsCsv()).contains("S0001,MONDAY,08:00,10");
        assertThat(unchanged).isSameAs(first);

        put("station-thresholds.csv", HEADER + "S0001,MONDAY,08:00,25\n");
        ReferenceDataSnapshot second = poller.map(2L);
        assertThat(second.version()).isNotEqualTo(first.version());
        assertThat(second.parse()
                        .thresholds()
                        .minVehicles("S0001", new ThresholdSlot(DayOfWeek.MONDAY, LocalTime.of(8, 0))))
                .hasValue(25);

        // A threshold for a station that stations.csv does not (yet) list.
        put("station-thresholds.csv", HEADER + "S0002,MONDAY,08:00,5\n");
        assertThat(poller.map(3L)).isSameAs(second);

        put("stations.csv", STATIONS + "S0002,Lakeshore Gate,UTC\n");
        ReferenceDataSnapshot third = poller.map(4L);
        assertThat(third.parse().stations()).hasSize(2);
    }

    @Test
    void anInvalidFirstVersionFailsTheJobWithTheFileLineAndField() {
        put("stations.csv", STATIONS);
        put("station-thresholds.csv", HEADER + "S0001,MONDAY,08:15,10\n");

        assertThatThrownBy(() -> poller.map(0L))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("s3://" + bucket)
                .cause()
                .isInstanceOf(ReferenceDataException.class)
                .hasMessageContaining("station-thresholds.csv line 2");
    }

    @Test
    void missingFilesFailTheJobAtStartAndNamesWhereItLooked() {
        assertThatThrownBy(() -> poller.map(0L))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "cannot read the reference data at s3://" + bucket + "/{stations.csv,station-thresholds.csv}");
    }
}
