package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.abctolls.domain.LowTrafficAlert;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The evaluator alone, driven record by record and watermark by watermark. */
class LowTrafficEvaluatorTest {

    private static final String STATIONS = "stationId,name,timeZone\nS0001,Riverside Plaza,UTC\n";
    private static final String TWO_STATIONS = STATIONS + "S0002,Lakeshore Gate,UTC\n";
    private static final String HEADER = "stationId,dayOfWeek,slotStart,minVehicles\n";
    private static final long FOURTEEN_HUNDRED =
            Instant.parse("2026-11-18T14:00:00Z").toEpochMilli();
    private static final long HALF_HOUR = 30 * 60 * 1000;

    private KeyedBroadcastOperatorTestHarness<Integer, StationCount, ReferenceDataSnapshot, LowTrafficAlert> evaluator;

    @BeforeEach
    void openEvaluator() throws Exception {
        evaluator = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new LowTrafficEvaluator(),
                count -> LowTrafficEvaluator.ALL_STATIONS,
                Types.INT,
                LowTrafficEvaluator.REFERENCE_DATA);
    }

    @AfterEach
    void closeEvaluator() throws Exception {
        evaluator.close();
    }

    private static LowTrafficAlert alert(String station, long windowStart, long vehicles, long min) {
        return new LowTrafficAlert(
                station,
                Instant.ofEpochMilli(windowStart),
                Instant.ofEpochMilli(windowStart + HALF_HOUR),
                vehicles,
                min);
    }

    /** What the topology delivers on the broadcast input: the snapshot, then (see ReleaseAfterFirstSnapshot) the end of time. */
    private void reference(String stationsCsv, String thresholdsCsv, String version) throws Exception {
        evaluator.processBroadcastElement(new ReferenceDataSnapshot(stationsCsv, thresholdsCsv, version), 0);
        evaluator.processBroadcastWatermark(Watermark.MAX_WATERMARK);
    }

    @Test
    void aNewReferenceDataVersionAppliesFromTheNextWindowEvaluatedWithoutARestart() throws Exception {
        reference(STATIONS, HEADER + "S0001,WEDNESDAY,14:00,5\n", "v1");
        evaluator.processElement(new StationCount("S0001", FOURTEEN_HUNDRED, 2), FOURTEEN_HUNDRED);
        evaluator.processWatermark(new Watermark(FOURTEEN_HUNDRED + HALF_HOUR - 1));

        // v2 lowers S0001's threshold below its count and adds a station that counted nothing.
        reference(TWO_STATIONS, HEADER + "S0001,WEDNESDAY,14:30,1\nS0002,WEDNESDAY,14:30,3\n", "v2");
        long nextWindow = FOURTEEN_HUNDRED + HALF_HOUR;
        evaluator.processElement(new StationCount("S0001", nextWindow, 2), nextWindow);
        evaluator.processWatermark(new Watermark(nextWindow + HALF_HOUR - 1));

        assertThat(evaluator.extractOutputValues())
                .containsExactly(alert("S0001", FOURTEEN_HUNDRED, 2, 5), alert("S0002", nextWindow, 0, 3));
    }

    @Test
    void aStationWindowIsEvaluatedOnlyOnceTheWatermarkHasPassedItsEnd() throws Exception {
        reference(STATIONS, HEADER + "S0001,WEDNESDAY,14:00,5\n", "v1");
        evaluator.processElement(new StationCount("S0001", FOURTEEN_HUNDRED, 2), FOURTEEN_HUNDRED);
        evaluator.processWatermark(new Watermark(FOURTEEN_HUNDRED + HALF_HOUR - 2));

        assertThat(evaluator.extractOutputValues()).isEmpty();

        evaluator.processWatermark(new Watermark(FOURTEEN_HUNDRED + HALF_HOUR - 1));

        assertThat(evaluator.extractOutputValues()).containsExactly(alert("S0001", FOURTEEN_HUNDRED, 2, 5));
    }

    @Test
    void noWindowIsEvaluatedBeforeTheReferenceDataHasArrived() throws Exception {
        evaluator.processElement(new StationCount("S0001", FOURTEEN_HUNDRED, 2), FOURTEEN_HUNDRED);
        evaluator.processWatermark(new Watermark(FOURTEEN_HUNDRED + 3 * HALF_HOUR));

        assertThat(evaluator.extractOutputValues()).isEmpty();

        reference(STATIONS, HEADER + "S0001,WEDNESDAY,14:00,5\n", "v1");

        assertThat(evaluator.extractOutputValues()).containsExactly(alert("S0001", FOURTEEN_HUNDRED, 2, 5));
    }
}
