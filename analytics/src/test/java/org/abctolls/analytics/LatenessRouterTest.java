package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.VehicleClass;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The router alone: lateness judged as Flink's windows judge it, against a watermark that survives a restore. */
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

    private static final Duration BOUND = Duration.ofSeconds(60);

    private static OneInputStreamOperatorTestHarness<TollEvent, TollEvent> router() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new LatenessRouter(BILLING_LATENESS, BOUND));
    }

    private static void send(OneInputStreamOperatorTestHarness<TollEvent, TollEvent> router) throws Exception {
        router.processElement(new StreamRecord<>(PASSAGE, PASSAGE_TIME.toEpochMilli()));
    }

    private static TollEvent passage(String eventId, Instant eventTime) {
        return new TollEvent(eventId, "S0002", 1, "T0000002", "C0000002", VehicleClass.CAR, 275, eventTime);
    }

    /** A passage of another customer and station late enough to justify the watermark, then the watermark. */
    private static void advance(OneInputStreamOperatorTestHarness<TollEvent, TollEvent> router, long watermark)
            throws Exception {
        long time = watermark + BOUND.toMillis() + 1;
        router.processElement(new StreamRecord<>(passage("pace-" + time, Instant.ofEpochMilli(time)), time));
        router.processWatermark(new Watermark(watermark));
    }

    /** The records of {@link #PASSAGE} alone in the main output. */
    private static List<TollEvent> ofPassage(OneInputStreamOperatorTestHarness<TollEvent, TollEvent> router) {
        return router.extractOutputValues().stream().filter(PASSAGE::equals).toList();
    }

    /** The records of {@link #PASSAGE} alone in a side output. */
    private static List<TollEvent> ofPassage(Collection<StreamRecord<TollEvent>> output) {
        return output == null
                ? List.of()
                : output.stream()
                        .map(StreamRecord::getValue)
                        .filter(PASSAGE::equals)
                        .toList();
    }

    @Test
    void judgesEachWindowAsFlinksWindowOperatorsDo() throws Exception {
        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> router = router()) {
            router.open();
            send(router);
            advance(router, Instant.parse("2026-11-18T14:29:59.999Z").toEpochMilli());
            send(router);
            advance(router, BILLING_CLOSED - 1);
            send(router);
            advance(router, BILLING_CLOSED);
            send(router);

            assertThat(ofPassage(router)).hasSize(3);
            assertThat(ofPassage(router.getSideOutput(LatenessRouter.FOR_STATIONS)))
                    .hasSize(1);
            assertThat(ofPassage(router.getSideOutput(LatenessRouter.LATE_FOR_STATIONS)))
                    .hasSize(3);
            assertThat(ofPassage(router.getSideOutput(LatenessRouter.CLOSED_FOR_BILLING)))
                    .hasSize(1);
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
            advance(before, BILLING_CLOSED);
            checkpoint = before.snapshot(1, 1);
        }

        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> restored = router()) {
            restored.initializeState(checkpoint);
            restored.open();
            send(restored);

            assertThat(ofPassage(restored)).isEmpty();
            assertThat(ofPassage(restored.getSideOutput(LatenessRouter.CLOSED_FOR_BILLING)))
                    .hasSize(1);
            assertThat(ofPassage(restored.getSideOutput(LatenessRouter.LATE_FOR_STATIONS)))
                    .hasSize(1);
        }
    }

    /** A job resumed after a drained stop (the end of its input) must count new traffic again. */
    @Test
    void theEndOfAnInputClosesBillingWindowsForGoodButNotStationWindows() throws Exception {
        OperatorSubtaskState drained;
        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> before = router()) {
            before.open();
            advance(before, PASSAGE_TIME.toEpochMilli() - 60_000);
            before.processWatermark(Watermark.MAX_WATERMARK);
            drained = before.snapshot(1, 1);
        }

        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> resumed = router()) {
            resumed.initializeState(drained);
            resumed.open();
            send(resumed);

            assertThat(ofPassage(resumed.getSideOutput(LatenessRouter.CLOSED_FOR_BILLING)))
                    .hasSize(1);
            assertThat(ofPassage(resumed.getSideOutput(LatenessRouter.FOR_STATIONS)))
                    .hasSize(1);
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
            advance(first, BILLING_CLOSED);
            advance(second, BILLING_CLOSED - 1);
            ahead = first.snapshot(1, 1);
            behind = second.snapshot(1, 1);
        }

        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> restored = router()) {
            restored.initializeState(AbstractStreamOperatorTestHarness.repackageState(ahead, behind));
            restored.open();
            send(restored);

            assertThat(ofPassage(restored)).hasSize(1);
            assertThat(ofPassage(restored.getSideOutput(LatenessRouter.CLOSED_FOR_BILLING)))
                    .isEmpty();
        }
    }

    /**
     * The input's watermark is made before duplicates are dropped: a re-send stamped two hours
     * after its first sighting raised it, and it stays there. The watermark handed on follows the
     * passages instead, raised by each: 14:40 closes 14:00-14:30 for stations, so a passage of
     * 14:20 after it is late, as it is for the contract's watermark of the passages.
     */
    @Test
    void theWatermarkHandedOnFollowsThePassagesNotAReSendThatRaisedTheInputs() throws Exception {
        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> router = router()) {
            router.open();
            send(router);
            router.processWatermark(new Watermark(PASSAGE_TIME.minus(BOUND).toEpochMilli() - 1));
            // The re-send itself never reaches the router; only the watermark it raised does.
            router.processWatermark(new Watermark(
                    PASSAGE_TIME.plus(Duration.ofHours(2)).minus(BOUND).toEpochMilli() - 1));
            Instant later = Instant.parse("2026-11-18T14:40:00Z");
            Instant lateForStations = Instant.parse("2026-11-18T14:20:00Z");
            router.processElement(new StreamRecord<>(passage("e2", later), later.toEpochMilli()));
            router.processElement(new StreamRecord<>(passage("e3", lateForStations), lateForStations.toEpochMilli()));

            assertThat(router.getOutput().stream()
                            .filter(Watermark.class::isInstance)
                            .map(Watermark.class::cast)
                            .map(Watermark::getTimestamp))
                    .containsExactly(
                            PASSAGE_TIME.minus(BOUND).toEpochMilli() - 1,
                            later.minus(BOUND).toEpochMilli() - 1);
            assertThat(router.getSideOutput(LatenessRouter.LATE_FOR_STATIONS))
                    .extracting(StreamRecord::getValue)
                    .extracting(TollEvent::eventId)
                    .containsExactly("e3");
            assertThat(router.extractOutputValues()).hasSize(3);
        }
    }

    /** The latest passage is kept, so a restored router holds the watermark to it from the start. */
    @Test
    void aRestoredRouterHoldsTheWatermarkToTheLatestPassageBeforeTheSnapshot() throws Exception {
        OperatorSubtaskState checkpoint;
        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> before = router()) {
            before.open();
            send(before);
            checkpoint = before.snapshot(1, 1);
        }

        try (OneInputStreamOperatorTestHarness<TollEvent, TollEvent> restored = router()) {
            restored.initializeState(checkpoint);
            restored.open();
            restored.processWatermark(
                    new Watermark(PASSAGE_TIME.plus(Duration.ofHours(2)).toEpochMilli()));

            assertThat(restored.getOutput().stream()
                            .filter(Watermark.class::isInstance)
                            .map(Watermark.class::cast)
                            .map(Watermark::getTimestamp))
                    .containsExactly(PASSAGE_TIME.minus(BOUND).toEpochMilli() - 1);
        }
    }
}
