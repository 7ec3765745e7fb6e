package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.VehicleClass;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The station windows' judge alone: lateness judged as Flink's window operator judges it, against a watermark that survives a restore. */
// Flink's test harnesses are closed with try-with-resources although their close() may be interrupted.
@SuppressWarnings("try")
class StationLatenessTest {

    private static final Instant PASSAGE_TIME = Instant.parse("2026-11-18T14:05:00Z");
    private static final TollEvent PASSAGE =
            new TollEvent("e1", "S0001", 1, "T0000001", "C0000001", VehicleClass.CAR, 275, PASSAGE_TIME);
    /** The last instant of the passage's 14:00 station window: it closes when the watermark reaches it. */
    private static final long WINDOW_CLOSED =
            Instant.parse("2026-11-18T14:29:59.999Z").toEpochMilli();

    private static OneInputStreamOperatorTestHarness<TollEvent, TollEvent> judge() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new StationLateness());
    }

    private static void send(OneInputStreamOperatorTestHarness<TollEvent, TollEvent> judge) throws Exception {
        judge.processElement(new StreamRecord<>(PASSAGE, PASSAGE_TIME.toEpochMilli()));
    }

    @Test
    void aPassageIsLateOnceTheWatermarkHasReachedTheLastInstantOfItsWindow() throws Exception {
        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> judge = judge()) {
            judge.open();
            send(judge);
            judge.processWatermark(new Watermark(WINDOW_CLOSED - 1));
            send(judge);
            judge.processWatermark(new Watermark(WINDOW_CLOSED));
            send(judge);

            assertThat(judge.extractOutputValues()).hasSize(2);
            assertThat(judge.getSideOutput(StationLateness.LATE_FOR_STATIONS)).hasSize(1);
        }
    }

    /**
     * A restored job has no watermark until replayed records raise it; a passage read first
     * would re-create a window closed and judged before the checkpoint.
     */
    @Test
    void afterARestoreAWindowClosedBeforeTheCheckpointStaysClosedWithoutAnyWatermarkYet() throws Exception {
        OperatorSubtaskState checkpoint;
        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> before = judge()) {
            before.open();
            before.processWatermark(new Watermark(WINDOW_CLOSED));
            checkpoint = before.snapshot(1, 1);
        }

        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> restored = judge()) {
            restored.initializeState(checkpoint);
            restored.open();
            send(restored);

            assertThat(restored.extractOutputValues()).isEmpty();
            assertThat(restored.getSideOutput(StationLateness.LATE_FOR_STATIONS))
                    .hasSize(1);
        }
    }

    /** A job resumed after a drained stop (the end of its input) must count new traffic again. */
    @Test
    void theEndOfAnInputDoesNotCloseStationWindowsForAJobResumedAfterIt() throws Exception {
        OperatorSubtaskState drained;
        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> before = judge()) {
            before.open();
            before.processWatermark(new Watermark(PASSAGE_TIME.toEpochMilli() - 60_000));
            before.processWatermark(Watermark.MAX_WATERMARK);
            drained = before.snapshot(1, 1);
        }

        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> resumed = judge()) {
            resumed.initializeState(drained);
            resumed.open();
            send(resumed);

            assertThat(resumed.extractOutputValues()).hasSize(1);
            assertThat(resumed.getSideOutput(StationLateness.LATE_FOR_STATIONS)).isNullOrEmpty();
        }
    }

    @Test
    void afterARescaleEachTaskJudgesByTheLowestWatermarkAnyTaskHadReached() throws Exception {
        OperatorSubtaskState ahead;
        OperatorSubtaskState behind;
        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> first = judge();
                OneInputStreamOperatorTestHarness<TollEvent, TollEvent> second = judge()) {
            first.open();
            second.open();
            first.processWatermark(new Watermark(WINDOW_CLOSED));
            second.processWatermark(new Watermark(WINDOW_CLOSED - 1));
            ahead = first.snapshot(1, 1);
            behind = second.snapshot(1, 1);
        }

        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> restored = judge()) {
            restored.initializeState(AbstractStreamOperatorTestHarness.repackageState(ahead, behind));
            restored.open();
            send(restored);

            assertThat(restored.extractOutputValues()).hasSize(1);
            assertThat(restored.getSideOutput(StationLateness.LATE_FOR_STATIONS))
                    .isNullOrEmpty();
        }
    }
}
