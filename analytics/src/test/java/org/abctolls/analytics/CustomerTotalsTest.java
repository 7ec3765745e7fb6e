package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.abctolls.domain.CustomerWindowTotal;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.VehicleClass;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The 10-minute customer windows: firing, re-firing within the lateness, closing for good, cleanup, restore. */
// Flink's test harnesses are closed with try-with-resources although their close() may be interrupted.
@SuppressWarnings("try")
class CustomerTotalsTest {

    private static final Duration LATENESS = Duration.ofHours(24);
    private static final Instant WINDOW_START = Instant.parse("2026-11-18T14:00:00Z");
    private static final long WINDOW_LAST_MILLIS =
            Instant.parse("2026-11-18T14:10:00Z").toEpochMilli() - 1;

    /** Heap state in the kit, RocksDB on Managed Flink: the windows must behave the same on both. */
    enum Backend {
        HEAP,
        ROCKSDB;

        StateBackend create() {
            return this == HEAP ? new HashMapStateBackend() : new EmbeddedRocksDBStateBackend();
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TollEvent, CustomerWindowTotal> windows()
            throws Exception {
        return windows(LATENESS, Backend.HEAP);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TollEvent, CustomerWindowTotal> windows(
            Duration lateness, Backend backend) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new CustomerTotals(lateness)), TollEvent::customerId, Types.STRING);
        harness.setStateBackend(backend.create());
        return harness;
    }

    private static TollEvent passage(String eventId, String customerId, int cents, Instant eventTime) {
        return new TollEvent(eventId, "S0001", 1, "T0000001", customerId, VehicleClass.CAR, cents, eventTime);
    }

    private static TollEvent inTheWindow(String eventId, int cents) {
        return passage(eventId, "C0000001", cents, WINDOW_START.plusSeconds(90));
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, TollEvent, CustomerWindowTotal> windows, TollEvent passage)
            throws Exception {
        windows.processElement(new StreamRecord<>(passage, passage.eventTime().toEpochMilli()));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aWindowFiresWhenTheWatermarkReachesItsEndAndAgainForEachLatePassageWithinTheLateness(Backend backend)
            throws Exception {
        try (var windows = windows(LATENESS, backend)) {
            windows.open();
            send(windows, inTheWindow("a", 100));
            send(windows, inTheWindow("b", 50));
            windows.processWatermark(new Watermark(WINDOW_LAST_MILLIS - 1));
            assertThat(windows.extractOutputValues()).isEmpty();

            windows.processWatermark(new Watermark(WINDOW_LAST_MILLIS));
            windows.processWatermark(new Watermark(WINDOW_LAST_MILLIS + LATENESS.toMillis() - 1));
            send(windows, inTheWindow("c", 25));

            assertThat(windows.extractOutputValues())
                    .extracting(
                            CustomerWindowTotal::windowStart,
                            CustomerWindowTotal::windowEnd,
                            CustomerWindowTotal::totalCents,
                            CustomerWindowTotal::passages,
                            CustomerWindowTotal::revision)
                    .containsExactly(
                            tuple(WINDOW_START, WINDOW_START.plusSeconds(600), 150L, 2L, 0),
                            tuple(WINDOW_START, WINDOW_START.plusSeconds(600), 175L, 3L, 1));
            assertThat(windows.getSideOutput(LatenessRouter.CLOSED_FOR_BILLING)).isNull();
        }
    }

    /**
     * Passages of three windows arriving out of order: each window keeps its own total, and a
     * cleanup that drops the windows whose lateness has passed keeps the later one whole.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void windowsOpenedOutOfOrderKeepTheirOwnTotalsAndACleanupDropsOnlyTheClosedOnes(Backend backend) throws Exception {
        Instant halfDayLater = WINDOW_START.plus(Duration.ofHours(12));
        Instant tenMinutesLater = WINDOW_START.plus(Duration.ofMinutes(10));
        try (var windows = windows(LATENESS, backend)) {
            windows.open();
            send(windows, passage("c", "C0000001", 300, halfDayLater));
            send(windows, passage("a", "C0000001", 100, WINDOW_START));
            send(windows, passage("b", "C0000001", 200, tenMinutesLater));
            send(windows, passage("a2", "C0000001", 1, WINDOW_START.plusSeconds(1)));
            windows.processWatermark(
                    new Watermark(halfDayLater.plus(Duration.ofMinutes(10)).toEpochMilli()));
            // Past the lateness of the first two windows and the next cleanup, within the third's.
            windows.processWatermark(new Watermark(
                    tenMinutesLater.plus(LATENESS).plus(Duration.ofHours(6)).toEpochMilli()));
            send(windows, passage("c2", "C0000001", 30, halfDayLater.plusSeconds(5)));
            send(windows, passage("b2", "C0000001", 20, tenMinutesLater.plusSeconds(5)));

            assertThat(windows.extractOutputValues())
                    .extracting(
                            CustomerWindowTotal::windowStart,
                            CustomerWindowTotal::totalCents,
                            CustomerWindowTotal::passages,
                            CustomerWindowTotal::revision)
                    .containsExactly(
                            tuple(WINDOW_START, 101L, 2L, 0),
                            tuple(tenMinutesLater, 200L, 1L, 0),
                            tuple(halfDayLater, 300L, 1L, 0),
                            tuple(halfDayLater, 330L, 2L, 1));
            assertThat(windows.getSideOutput(LatenessRouter.CLOSED_FOR_BILLING))
                    .extracting(record -> record.getValue().eventId())
                    .containsExactly("b2");
            assertThat(windows.numEventTimeTimers()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aPassageForAWindowClosedLongerThanTheLatenessGoesToTheClosedForBillingOutputOnly(Backend backend)
            throws Exception {
        try (var windows = windows(LATENESS, backend)) {
            windows.open();
            send(windows, inTheWindow("a", 100));
            windows.processWatermark(new Watermark(WINDOW_LAST_MILLIS + LATENESS.toMillis()));
            send(windows, inTheWindow("late", 40));

            assertThat(windows.extractOutputValues())
                    .extracting(CustomerWindowTotal::totalCents, CustomerWindowTotal::revision)
                    .containsExactly(tuple(100L, 0));
            assertThat(windows.getSideOutput(LatenessRouter.CLOSED_FOR_BILLING))
                    .extracting(StreamRecord::getValue)
                    .containsExactly(inTheWindow("late", 40));
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aCustomersFirstPassageInAWindowThatClosedWithinTheLatenessFiresItAtOnceAsRevisionZero(Backend backend)
            throws Exception {
        try (var windows = windows(LATENESS, backend)) {
            windows.open();
            windows.processWatermark(new Watermark(WINDOW_LAST_MILLIS + 1));
            send(windows, inTheWindow("a", 100));

            assertThat(windows.extractOutputValues())
                    .extracting(CustomerWindowTotal::totalCents, CustomerWindowTotal::revision)
                    .containsExactly(tuple(100L, 0));
        }
    }

    /**
     * A customer passing every 10 minutes for two days keeps one firing timer for its open
     * window and one cleanup timer, and nothing once every window's lateness has passed.
     */
    @Test
    void closedWindowsAreDroppedWithOneCleanupTimerPerCustomer() throws Exception {
        try (var windows = windows()) {
            windows.open();
            int timersAtMost = 0;
            for (int i = 0; i < 2 * 144; i++) {
                Instant eventTime =
                        WINDOW_START.plus(Duration.ofMinutes(10L * i)).plusSeconds(30);
                send(windows, passage("e" + i, "C0000001", 100, eventTime));
                windows.processWatermark(new Watermark(eventTime.toEpochMilli()));
                timersAtMost = Math.max(timersAtMost, windows.numEventTimeTimers());
            }
            assertThat(timersAtMost).isEqualTo(2);
            assertThat(windows.extractOutputValues()).hasSize(2 * 144 - 1);

            windows.processWatermark(new Watermark(Long.MAX_VALUE));

            assertThat(windows.extractOutputValues()).hasSize(2 * 144);
            assertThat(windows.numEventTimeTimers()).isZero();
            assertThat(windows.numKeyedStateEntries()).isZero();
        }
    }

    /** A day's lateness apart, and no watermark until the input ends: both windows fire, in order. */
    @Test
    void theEndOfTheInputFiresEveryKeptWindowBeforeItIsDropped() throws Exception {
        try (var windows = windows()) {
            windows.open();
            send(windows, inTheWindow("a", 100));
            send(
                    windows,
                    passage("b", "C0000001", 60, WINDOW_START.plus(LATENESS).plusSeconds(7200)));
            windows.processWatermark(new Watermark(Long.MAX_VALUE));

            assertThat(windows.extractOutputValues())
                    .extracting(CustomerWindowTotal::totalCents, CustomerWindowTotal::revision)
                    .containsExactly(tuple(100L, 0), tuple(60L, 0));
            assertThat(windows.numKeyedStateEntries()).isZero();
        }
    }

    /** A lateness under the cleanup's quarter: cleaned once per window, and exact at its edge. */
    @Test
    void aShortLatenessReFiresUpToItsLastMillisecondAndThenDropsTheWindow() throws Exception {
        Duration lateness = Duration.ofMinutes(15);
        try (var windows = windows(lateness, Backend.HEAP)) {
            windows.open();
            send(windows, inTheWindow("a", 100));
            windows.processWatermark(new Watermark(WINDOW_LAST_MILLIS + lateness.toMillis() - 1));
            send(windows, inTheWindow("b", 10));
            windows.processWatermark(new Watermark(WINDOW_LAST_MILLIS + lateness.toMillis()));
            send(windows, inTheWindow("c", 1));

            assertThat(windows.extractOutputValues())
                    .extracting(CustomerWindowTotal::totalCents, CustomerWindowTotal::revision)
                    .containsExactly(tuple(100L, 0), tuple(110L, 1));
            assertThat(windows.getSideOutput(LatenessRouter.CLOSED_FOR_BILLING))
                    .extracting(record -> record.getValue().eventId())
                    .containsExactly("c");
            windows.processWatermark(
                    new Watermark(WINDOW_LAST_MILLIS + Duration.ofHours(1).toMillis()));
            assertThat(windows.numKeyedStateEntries()).isZero();
            assertThat(windows.numEventTimeTimers()).isZero();
        }
    }

    /**
     * A restored job starts with no watermark. A window its cleanup dropped before the snapshot
     * stays closed for good: a passage for it is billed alone, not the window opened again with
     * that passage alone (a version the ledger, holding a fuller one, would ignore). The router
     * upstream may let it through: its watermark, restored from a task that was idle then, can
     * be behind the one the windows were dropped by.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aWindowDroppedBeforeASnapshotStaysClosedForGoodAfterTheRestore(Backend backend) throws Exception {
        OperatorSubtaskState checkpoint;
        try (var windows = windows(LATENESS, backend)) {
            windows.open();
            send(windows, inTheWindow("a", 100));
            // Two latenesses on: past the window's cleanup, which runs once per quarter of one.
            windows.processWatermark(new Watermark(WINDOW_LAST_MILLIS + 2 * LATENESS.toMillis()));
            checkpoint = windows.snapshot(1, 1);
        }
        try (var restored = windows(LATENESS, backend)) {
            restored.initializeState(checkpoint);
            restored.open();
            send(restored, inTheWindow("late", 40));

            assertThat(restored.extractOutputValues()).isEmpty();
            assertThat(restored.getSideOutput(LatenessRouter.CLOSED_FOR_BILLING))
                    .extracting(StreamRecord::getValue)
                    .containsExactly(inTheWindow("late", 40));
        }
    }

    /** The lateness is a setting: a job restored with another one still drops every window. */
    @Test
    void aJobRestoredWithAnotherLatenessStillDropsEveryWindowOfTheFormerRun() throws Exception {
        OperatorSubtaskState checkpoint;
        try (var windows = windows(LATENESS, Backend.HEAP)) {
            windows.open();
            send(windows, inTheWindow("a", 100));
            windows.processWatermark(new Watermark(WINDOW_LAST_MILLIS));
            checkpoint = windows.snapshot(1, 1);
        }
        Duration shorter = Duration.ofHours(20);
        try (var restored = windows(shorter, Backend.HEAP)) {
            restored.initializeState(checkpoint);
            restored.open();
            restored.processWatermark(
                    new Watermark(WINDOW_LAST_MILLIS + Duration.ofHours(30).toMillis()));

            assertThat(restored.numKeyedStateEntries()).isZero();
            assertThat(restored.numEventTimeTimers()).isZero();
        }
    }

    /**
     * The checkpoint is taken after each step of a run in turn; the run is then resumed from it
     * with the watermark it had reached, and what it emits must be what the uninterrupted run
     * emitted. (A restored job starts with no watermark; that case is {@code
     * CustomerTotalsRestoreTest}'s and, with the lateness router upstream, {@code TollTopologyTest}'s.)
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRunRestoredFromACheckpointAfterAnyStepEmitsWhatTheUninterruptedRunEmitted(Backend backend) throws Exception {
        List<Object> steps = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Instant eventTime = WINDOW_START.plus(Duration.ofMinutes(7L * i));
            steps.add(passage("p" + i, i % 3 == 0 ? "C0000001" : "C0000002", 100 + i, eventTime));
            if (i % 4 == 3) {
                steps.add(new Watermark(eventTime.toEpochMilli() - 60_000));
            }
            if (i % 10 == 9) {
                // Late within the lateness, and later than it.
                steps.add(passage("late" + i, "C0000001", 7, WINDOW_START.plus(Duration.ofMinutes(7L * i - 30))));
                steps.add(passage("closed" + i, "C0000002", 9, eventTime.minus(LATENESS.plusHours(1))));
            }
        }
        steps.add(new Watermark(
                WINDOW_LAST_MILLIS + LATENESS.toMillis() + Duration.ofHours(30).toMillis()));
        Outputs uninterrupted = run(steps, 0, null, Long.MIN_VALUE, backend);
        assertThat(uninterrupted.totals())
                .extracting(CustomerWindowTotal::revision)
                .contains(1);
        assertThat(uninterrupted.closed()).isNotEmpty();

        for (int checkpointAfter = 1; checkpointAfter < steps.size(); checkpointAfter++) {
            OperatorSubtaskState checkpoint;
            Outputs beforeTheCrash;
            try (var windows = windows(LATENESS, backend)) {
                windows.open();
                for (Object step : steps.subList(0, checkpointAfter)) {
                    apply(windows, step);
                }
                checkpoint = windows.snapshot(1, 1);
                beforeTheCrash = outputs(windows);
            }
            long watermarkReached = steps.subList(0, checkpointAfter).stream()
                    .filter(Watermark.class::isInstance)
                    .mapToLong(step -> ((Watermark) step).getTimestamp())
                    .max()
                    .orElse(Long.MIN_VALUE);
            Outputs resumed =
                    beforeTheCrash.followedBy(run(steps, checkpointAfter, checkpoint, watermarkReached, backend));

            assertThat(resumed).as("restored after step %d", checkpointAfter).isEqualTo(uninterrupted);
        }
    }

    private static Outputs run(
            List<Object> steps, int from, OperatorSubtaskState checkpoint, long watermark, Backend backend)
            throws Exception {
        try (var windows = windows(LATENESS, backend)) {
            if (checkpoint != null) {
                windows.initializeState(checkpoint);
            }
            windows.open();
            if (watermark != Long.MIN_VALUE) {
                windows.processWatermark(new Watermark(watermark));
            }
            for (Object step : steps.subList(from, steps.size())) {
                apply(windows, step);
            }
            return outputs(windows);
        }
    }

    private static void apply(
            KeyedOneInputStreamOperatorTestHarness<String, TollEvent, CustomerWindowTotal> windows, Object step)
            throws Exception {
        if (step instanceof TollEvent passage) {
            send(windows, passage);
        } else {
            windows.processWatermark((Watermark) step);
        }
    }

    /** Totals in the order emitted, then the passages closed for billing in theirs. */
    private static Outputs outputs(
            KeyedOneInputStreamOperatorTestHarness<String, TollEvent, CustomerWindowTotal> windows) {
        List<String> closed = new ArrayList<>();
        var closedRecords = windows.getSideOutput(LatenessRouter.CLOSED_FOR_BILLING);
        if (closedRecords != null) {
            closedRecords.forEach(record -> closed.add(record.getValue().eventId()));
        }
        return new Outputs(windows.extractOutputValues(), closed);
    }

    private record Outputs(List<CustomerWindowTotal> totals, List<String> closed) {
        Outputs followedBy(Outputs later) {
            List<CustomerWindowTotal> allTotals = new ArrayList<>(totals);
            allTotals.addAll(later.totals);
            List<String> allClosed = new ArrayList<>(closed);
            allClosed.addAll(later.closed);
            return new Outputs(allTotals, allClosed);
        }
    }
}
