package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.abctolls.domain.LowTrafficAlert;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
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

    /** An evaluator restored from a checkpoint of the current one, as a restarted job gets it. */
    private KeyedBroadcastOperatorTestHarness<Integer, StationCount, ReferenceDataSnapshot, LowTrafficAlert> restored()
            throws Exception {
        OperatorSubtaskState checkpoint = evaluator.snapshot(1, 1);
        evaluator.close();
        KeyedBroadcastOperatorTestHarness<Integer, StationCount, ReferenceDataSnapshot, LowTrafficAlert> restored =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                new LowTrafficEvaluator(), List.of(LowTrafficEvaluator.REFERENCE_DATA)),
                        count -> LowTrafficEvaluator.ALL_STATIONS,
                        Types.INT,
                        1,
                        1,
                        0);
        restored.initializeState(checkpoint);
        restored.open();
        evaluator = restored;
        return restored;
    }

    private void broken(String version) throws Exception {
        evaluator.processBroadcastElement(
                ReferenceDataSnapshot.unusable(version, "station-thresholds.csv line 2: not valid CSV"), 0);
        releaseReferenceDataInput();
    }

    /** What ReleaseAfterFirstSnapshot does after the first snapshot: the input goes idle. */
    private void releaseReferenceDataInput() throws Exception {
        evaluator.getTwoInputOperator().processWatermarkStatus2(WatermarkStatus.IDLE);
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

    /** What the topology delivers on the broadcast input: the snapshot, then (see ReleaseAfterFirstSnapshot) idleness. */
    private void reference(String stationsCsv, String thresholdsCsv, String version) throws Exception {
        evaluator.processBroadcastElement(ReferenceDataSnapshot.usable(stationsCsv, thresholdsCsv, version), 0);
        releaseReferenceDataInput();
    }

    /** What the topology sends first: the station window of the first passage read, where evaluation starts. */
    private void firstPassageReadIn(long windowStart) throws Exception {
        evaluator.processElement(StationCount.firstPassageRead(windowStart), windowStart);
    }

    @Test
    void aNewReferenceDataVersionAppliesFromTheNextWindowEvaluatedWithoutARestart() throws Exception {
        reference(STATIONS, HEADER + "S0001,WEDNESDAY,14:00,5\n", "v1");
        firstPassageReadIn(FOURTEEN_HUNDRED);
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
        firstPassageReadIn(FOURTEEN_HUNDRED);
        evaluator.processElement(new StationCount("S0001", FOURTEEN_HUNDRED, 2), FOURTEEN_HUNDRED);
        evaluator.processWatermark(new Watermark(FOURTEEN_HUNDRED + HALF_HOUR - 2));

        assertThat(evaluator.extractOutputValues()).isEmpty();

        evaluator.processWatermark(new Watermark(FOURTEEN_HUNDRED + HALF_HOUR - 1));

        assertThat(evaluator.extractOutputValues()).containsExactly(alert("S0001", FOURTEEN_HUNDRED, 2, 5));
    }

    /**
     * After a restore the job has no watermark until replayed records raise it; a late passage
     * read first re-creates its station window, whose count then arrives for a window long
     * judged. It must not be judged again, nor the windows after it reported silent.
     */
    @Test
    void aWindowAlreadyEvaluatedStaysClosedAfterARestore() throws Exception {
        reference(TWO_STATIONS, HEADER + "S0001,WEDNESDAY,14:00,5\nS0001,WEDNESDAY,14:30,5\n", "v1");
        long nextWindow = FOURTEEN_HUNDRED + HALF_HOUR;
        firstPassageReadIn(FOURTEEN_HUNDRED);
        evaluator.processElement(new StationCount("S0001", FOURTEEN_HUNDRED, 2), FOURTEEN_HUNDRED);
        evaluator.processElement(new StationCount("S0001", nextWindow, 3), nextWindow);
        evaluator.processWatermark(new Watermark(nextWindow + HALF_HOUR - 1));
        assertThat(evaluator.extractOutputValues())
                .containsExactly(alert("S0001", FOURTEEN_HUNDRED, 2, 5), alert("S0001", nextWindow, 3, 5));

        var restored = restored();
        reference(TWO_STATIONS, HEADER + "S0001,WEDNESDAY,14:00,5\nS0001,WEDNESDAY,14:30,5\n", "v1");
        restored.processElement(new StationCount("S0001", FOURTEEN_HUNDRED, 1), FOURTEEN_HUNDRED);
        restored.processWatermark(new Watermark(nextWindow + HALF_HOUR - 1));

        assertThat(restored.extractOutputValues()).isEmpty();
    }

    @Test
    void aSecondCountForAWindowIsLateAndTheFirstStands() throws Exception {
        reference(STATIONS, HEADER + "S0001,WEDNESDAY,14:00,5\n", "v1");
        firstPassageReadIn(FOURTEEN_HUNDRED);
        evaluator.processElement(new StationCount("S0001", FOURTEEN_HUNDRED, 6), FOURTEEN_HUNDRED);
        evaluator.processElement(new StationCount("S0001", FOURTEEN_HUNDRED, 1), FOURTEEN_HUNDRED);
        evaluator.processWatermark(new Watermark(FOURTEEN_HUNDRED + HALF_HOUR - 1));

        assertThat(evaluator.extractOutputValues()).isEmpty();
    }

    @Test
    void anUnusableVersionLeavesTheLastUsableOneInForce() throws Exception {
        reference(STATIONS, HEADER + "S0001,WEDNESDAY,14:00,5\n", "v1");
        broken("v2");
        firstPassageReadIn(FOURTEEN_HUNDRED);
        evaluator.processElement(new StationCount("S0001", FOURTEEN_HUNDRED, 2), FOURTEEN_HUNDRED);
        evaluator.processWatermark(new Watermark(FOURTEEN_HUNDRED + HALF_HOUR - 1));

        assertThat(evaluator.extractOutputValues()).containsExactly(alert("S0001", FOURTEEN_HUNDRED, 2, 5));
    }

    /** A restarted job that finds a broken file in S3 keeps judging with the version it had. */
    @Test
    void afterARestoreTheVersionInForceStaysWhenTheFirstPollFindsABrokenFile() throws Exception {
        reference(STATIONS, HEADER + "S0001,WEDNESDAY,14:00,5\n", "v1");

        var restored = restored();
        broken("v2");
        firstPassageReadIn(FOURTEEN_HUNDRED);
        restored.processElement(new StationCount("S0001", FOURTEEN_HUNDRED, 2), FOURTEEN_HUNDRED);
        restored.processWatermark(new Watermark(FOURTEEN_HUNDRED + HALF_HOUR - 1));

        assertThat(restored.extractOutputValues()).containsExactly(alert("S0001", FOURTEEN_HUNDRED, 2, 5));
    }

    @Test
    void withNoUsableVersionYetWindowsWaitAndAreEvaluatedOnceOneArrives() throws Exception {
        broken("v1");
        firstPassageReadIn(FOURTEEN_HUNDRED);
        evaluator.processElement(new StationCount("S0001", FOURTEEN_HUNDRED, 2), FOURTEEN_HUNDRED);
        evaluator.processWatermark(new Watermark(FOURTEEN_HUNDRED + HALF_HOUR - 1));
        assertThat(evaluator.extractOutputValues()).isEmpty();

        reference(STATIONS, HEADER + "S0001,WEDNESDAY,14:00,5\n", "v2");
        evaluator.processWatermark(new Watermark(FOURTEEN_HUNDRED + HALF_HOUR));

        assertThat(evaluator.extractOutputValues()).containsExactly(alert("S0001", FOURTEEN_HUNDRED, 2, 5));
    }

    @Test
    void noWindowIsEvaluatedBeforeTheReferenceDataHasArrived() throws Exception {
        firstPassageReadIn(FOURTEEN_HUNDRED);
        evaluator.processElement(new StationCount("S0001", FOURTEEN_HUNDRED, 2), FOURTEEN_HUNDRED);
        evaluator.processWatermark(new Watermark(FOURTEEN_HUNDRED + 3 * HALF_HOUR));

        assertThat(evaluator.extractOutputValues()).isEmpty();

        reference(STATIONS, HEADER + "S0001,WEDNESDAY,14:00,5\n", "v1");

        assertThat(evaluator.extractOutputValues()).containsExactly(alert("S0001", FOURTEEN_HUNDRED, 2, 5));
    }

    @Test
    void evaluationStartsAtTheFirstPassagesWindowAndNeverJudgesAnEarlierWindowCountedBeforeOrAfterIt()
            throws Exception {
        reference(
                TWO_STATIONS,
                HEADER + "S0001,WEDNESDAY,13:30,5\nS0002,WEDNESDAY,13:30,5\n"
                        + "S0001,WEDNESDAY,14:00,5\nS0001,WEDNESDAY,14:30,5\n",
                "v1");
        long nextWindow = FOURTEEN_HUNDRED + HALF_HOUR;
        long earlier = FOURTEEN_HUNDRED - HALF_HOUR;
        // A count may reach the evaluator before the first passage's window does (another channel).
        evaluator.processElement(new StationCount("S0001", earlier, 1), earlier);
        firstPassageReadIn(FOURTEEN_HUNDRED);
        evaluator.processElement(new StationCount("S0001", FOURTEEN_HUNDRED, 1), FOURTEEN_HUNDRED);
        evaluator.processWatermark(new Watermark(earlier + HALF_HOUR - 1));
        assertThat(evaluator.extractOutputValues()).isEmpty();

        evaluator.processElement(new StationCount("S0002", earlier, 1), earlier);
        evaluator.processElement(new StationCount("S0001", nextWindow, 2), nextWindow);
        evaluator.processWatermark(new Watermark(nextWindow + HALF_HOUR - 1));

        assertThat(evaluator.extractOutputValues())
                .containsExactly(alert("S0001", FOURTEEN_HUNDRED, 1, 5), alert("S0001", nextWindow, 2, 5));
    }

    /**
     * Each reader names its first passage's window; a count may come before the name of its
     * window does (another channel). Evaluation starts at the earliest name, the count kept.
     */
    @Test
    void evaluationStartsAtTheEarliestWindowTheReadersNameWhicheverArrivesFirst() throws Exception {
        reference(STATIONS, HEADER + "S0001,WEDNESDAY,14:00,5\nS0001,WEDNESDAY,14:30,5\n", "v1");
        long nextWindow = FOURTEEN_HUNDRED + HALF_HOUR;
        firstPassageReadIn(nextWindow);
        evaluator.processElement(new StationCount("S0001", FOURTEEN_HUNDRED, 2), FOURTEEN_HUNDRED);
        firstPassageReadIn(FOURTEEN_HUNDRED);
        evaluator.processElement(new StationCount("S0001", nextWindow, 3), nextWindow);
        evaluator.processWatermark(new Watermark(nextWindow + HALF_HOUR - 1));

        assertThat(evaluator.extractOutputValues())
                .containsExactly(alert("S0001", FOURTEEN_HUNDRED, 2, 5), alert("S0001", nextWindow, 3, 5));
    }

    /** A window named after evaluation began (a reader whose first passage came late) moves nothing. */
    @Test
    void aFirstPassageNamedAfterEvaluationBeganMovesNothing() throws Exception {
        reference(STATIONS, HEADER + "S0001,WEDNESDAY,14:00,5\nS0001,WEDNESDAY,14:30,5\n", "v1");
        long nextWindow = FOURTEEN_HUNDRED + HALF_HOUR;
        firstPassageReadIn(nextWindow);
        evaluator.processElement(new StationCount("S0001", nextWindow, 1), nextWindow);
        evaluator.processWatermark(new Watermark(nextWindow + HALF_HOUR - 1));
        assertThat(evaluator.extractOutputValues()).containsExactly(alert("S0001", nextWindow, 1, 5));

        var restored = restored();
        reference(STATIONS, HEADER + "S0001,WEDNESDAY,14:00,5\nS0001,WEDNESDAY,14:30,5\n", "v1");
        firstPassageReadIn(FOURTEEN_HUNDRED);
        restored.processElement(new StationCount("S0001", FOURTEEN_HUNDRED, 1), FOURTEEN_HUNDRED);
        restored.processWatermark(new Watermark(nextWindow + 2 * HALF_HOUR - 1));

        assertThat(evaluator.extractOutputValues()).isEmpty();
    }

    /**
     * With no traffic for the idle timeout the passages' input goes idle, and with the reference
     * data's input idle too, the watermark stays where it was: no window is judged before its
     * counts have come, and evaluation goes on once traffic does.
     */
    @Test
    void anIdleInputJudgesNoWindowAndEvaluationGoesOnWhenTrafficResumes() throws Exception {
        reference(STATIONS, HEADER + "S0001,WEDNESDAY,14:00,1\nS0001,WEDNESDAY,14:30,5\n", "v1");
        long nextWindow = FOURTEEN_HUNDRED + HALF_HOUR;
        firstPassageReadIn(FOURTEEN_HUNDRED);
        evaluator.processWatermark(new Watermark(FOURTEEN_HUNDRED + 5 * 60 * 1000));
        evaluator.getTwoInputOperator().processWatermarkStatus1(WatermarkStatus.IDLE);
        assertThat(evaluator.extractOutputValues()).isEmpty();

        evaluator.getTwoInputOperator().processWatermarkStatus1(WatermarkStatus.ACTIVE);
        evaluator.processElement(new StationCount("S0001", FOURTEEN_HUNDRED, 1), FOURTEEN_HUNDRED);
        evaluator.processElement(new StationCount("S0001", nextWindow, 1), nextWindow);
        evaluator.processWatermark(new Watermark(nextWindow + HALF_HOUR - 1));

        assertThat(evaluator.extractOutputValues()).containsExactly(alert("S0001", nextWindow, 1, 5));
    }
}
