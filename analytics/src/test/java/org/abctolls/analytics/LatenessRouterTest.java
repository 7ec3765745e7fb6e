package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.VehicleClass;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The router alone: billing lateness judged as Flink's windows judge it, against a watermark that survives a restore. */
// Flink's test harnesses are closed with try-with-resources although their close() may be interrupted.
@SuppressWarnings("try")
class LatenessRouterTest {

    private static final Duration BILLING_LATENESS = Duration.ofHours(24);
    private static final Instant PASSAGE_TIME = Instant.parse("2026-11-18T14:05:00Z");
    private static final TollEvent PASSAGE =
            new TollEvent("e1", "S0001", 1, "T0000001", "C0000001", VehicleClass.CAR, 275, PASSAGE_TIME);

    /** The last instant of the passage's 14:00 billing window plus the lateness: when it closes for good. */
    private static final long BILLING_CLOSED =
            Instant.parse("2026-11-18T14:10:00Z").toEpochMilli() - 1 + BILLING_LATENESS.toMillis();

    private static OneInputStreamOperatorTestHarness<TollEvent, TollEvent> router() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new LatenessRouter(BILLING_LATENESS));
    }

    private static void send(OneInputStreamOperatorTestHarness<TollEvent, TollEvent> router) throws Exception {
        router.processElement(new StreamRecord<>(PASSAGE, PASSAGE_TIME.toEpochMilli()));
    }

    @Test
    void judgesEachWindowAsFlinksWindowOperatorsDo() throws Exception {
        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> router = router()) {
            router.open();
            send(router);
            router.processWatermark(
                    new Watermark(Instant.parse("2026-11-18T14:29:59.999Z").toEpochMilli()));
            send(router);
            router.processWatermark(new Watermark(BILLING_CLOSED - 1));
            send(router);
            router.processWatermark(new Watermark(BILLING_CLOSED));
            send(router);

            assertThat(router.extractOutputValues()).hasSize(3);
            assertThat(router.getSideOutput(LatenessRouter.CLOSED_FOR_BILLING)).hasSize(1);
        }
    }

    /**
     * A restored job has no watermark until replayed records raise it; a passage read first
     * would re-create windows closed before the checkpoint, and be billed and counted again.
     */
    @Test
    void afterARestoreAWindowClosedBeforeTheCheckpointStaysClosedWithoutAnyWatermarkYet() throws Exception {
        OperatorSubtaskState checkpoint;
        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> before = router()) {
            before.open();
            before.processWatermark(new Watermark(BILLING_CLOSED));
            checkpoint = before.snapshot(1, 1);
        }

        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> restored = router()) {
            restored.initializeState(checkpoint);
            restored.open();
            send(restored);

            assertThat(restored.extractOutputValues()).isEmpty();
            assertThat(restored.getSideOutput(LatenessRouter.CLOSED_FOR_BILLING))
                    .hasSize(1);
        }
    }

    /**
     * The windows the previous run closed and dropped under its shorter lateness stay closed;
     * the longer one applies to windows still open.
     */
    @Test
    void afterARestoreWithALongerLatenessTheWindowsClosedBeforeStayClosed() throws Exception {
        OperatorSubtaskState checkpoint;
        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> before = router()) {
            before.open();
            before.processWatermark(new Watermark(BILLING_CLOSED));
            checkpoint = before.snapshot(1, 1);
        }

        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> restored =
                new OneInputStreamOperatorTestHarness<>(new LatenessRouter(BILLING_LATENESS.multipliedBy(2)))) {
            restored.initializeState(checkpoint);
            restored.open();
            restored.processWatermark(new Watermark(BILLING_CLOSED + 60_000));
            send(restored);
            TollEvent nextWindow = new TollEvent(
                    "e2", "S0001", 1, "T0000001", "C0000001", VehicleClass.CAR, 275, PASSAGE_TIME.plusSeconds(600));
            restored.processElement(
                    new StreamRecord<>(nextWindow, nextWindow.eventTime().toEpochMilli()));

            assertThat(restored.getSideOutput(LatenessRouter.CLOSED_FOR_BILLING))
                    .extracting(record -> record.getValue().eventId())
                    .containsExactly("e1");
            assertThat(restored.extractOutputValues())
                    .extracting(TollEvent::eventId)
                    .containsExactly("e2");
        }
    }

    /** A job resumed after a drained stop (the end of its input) bills a passage for a window before it alone. */
    @Test
    void theEndOfAnInputClosesBillingWindowsForGood() throws Exception {
        OperatorSubtaskState drained;
        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> before = router()) {
            before.open();
            before.processWatermark(new Watermark(PASSAGE_TIME.toEpochMilli() - 60_000));
            before.processWatermark(Watermark.MAX_WATERMARK);
            drained = before.snapshot(1, 1);
        }

        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> resumed = router()) {
            resumed.initializeState(drained);
            resumed.open();
            send(resumed);

            assertThat(resumed.getSideOutput(LatenessRouter.CLOSED_FOR_BILLING)).hasSize(1);
            assertThat(resumed.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void afterARescaleEachTaskJudgesByTheLowestWatermarkAnyTaskHadReached() throws Exception {
        OperatorSubtaskState ahead;
        OperatorSubtaskState behind;
        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> first = router();
                OneInputStreamOperatorTestHarness<TollEvent, TollEvent> second = router()) {
            first.open();
            second.open();
            first.processWatermark(new Watermark(BILLING_CLOSED));
            second.processWatermark(new Watermark(BILLING_CLOSED - 1));
            ahead = first.snapshot(1, 1);
            behind = second.snapshot(1, 1);
        }

        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> restored = router()) {
            restored.initializeState(AbstractStreamOperatorTestHarness.repackageState(ahead, behind));
            restored.open();
            send(restored);

            assertThat(restored.extractOutputValues()).hasSize(1);
            assertThat(restored.getSideOutput(LatenessRouter.CLOSED_FOR_BILLING))
                    .isNullOrEmpty();
        }
    }

    /**
     * A task idle at the snapshot (its deduplicating task had no passage for a while) had stopped
     * following the watermark, which the billing windows went on taking from the other tasks and
     * dropped windows by: the lowest of the tasks that were active is taken.
     */
    @Test
    void afterARestoreAnIdleTasksWatermarkDoesNotOpenAgainAWindowTheOthersHadClosed() throws Exception {
        assertThat(restoredFrom(snapshot(BILLING_CLOSED, false), snapshot(BILLING_CLOSED - 60_000, true)))
                .as("one task active")
                .hasSize(1);
        assertThat(restoredFrom(snapshot(BILLING_CLOSED, true), snapshot(BILLING_CLOSED - 60_000, true)))
                .as("every task idle: the lowest of all")
                .isNullOrEmpty();
    }

    private static OperatorSubtaskState snapshot(long watermark, boolean idle) throws Exception {
        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> router = router()) {
            router.open();
            router.processWatermark(new Watermark(watermark));
            if (idle) {
                router.processWatermarkStatus(WatermarkStatus.IDLE);
            }
            return router.snapshot(1, 1);
        }
    }

    /** What a restored router sends to be billed alone of the passage. */
    private static Queue<StreamRecord<TollEvent>> restoredFrom(OperatorSubtaskState first, OperatorSubtaskState second)
            throws Exception {
        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> restored = router()) {
            restored.initializeState(AbstractStreamOperatorTestHarness.repackageState(first, second));
            restored.open();
            send(restored);
            return restored.getSideOutput(LatenessRouter.CLOSED_FOR_BILLING);
        }
    }
}
