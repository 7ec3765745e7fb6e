package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.VehicleClass;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Re-sends dropped, and the watermark handed on held to the passages: a re-send stamped later never moves it. */
// Flink's test harnesses are closed with try-with-resources although their close() may be interrupted.
@SuppressWarnings("try")
class FirstSightingOnlyTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(1);
    private static final Instant TEN = Instant.parse("2026-11-16T10:00:00Z");

    private static KeyedOneInputStreamOperatorTestHarness<String, TollEvent, TollEvent> deduplicate() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new FirstSightingOnly(Duration.ofHours(24), BOUND, IDLE_TIMEOUT), TollEvent::eventId, Types.STRING);
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, TollEvent, TollEvent> harness,
            String eventId,
            int amountCents,
            Instant eventTime)
            throws Exception {
        harness.processElement(new StreamRecord<>(
                new TollEvent(eventId, "S0001", 1, "T0000001", "C0000001", VehicleClass.CAR, amountCents, eventTime),
                eventTime.toEpochMilli()));
    }

    /** The watermark the input's generator makes after a record: its largest time less the bound. */
    private static void watermarkAfter(
            KeyedOneInputStreamOperatorTestHarness<String, TollEvent, TollEvent> harness, Instant largest)
            throws Exception {
        harness.processWatermark(new Watermark(lessBound(largest)));
    }

    private static long lessBound(Instant time) {
        return time.minus(BOUND).toEpochMilli() - 1;
    }

    private static List<Long> watermarks(KeyedOneInputStreamOperatorTestHarness<String, TollEvent, TollEvent> harness) {
        return harness.getOutput().stream()
                .filter(Watermark.class::isInstance)
                .map(element -> ((Watermark) element).getTimestamp())
                .toList();
    }

    @Test
    void passesEachEventIdOnceAndAProducersRetryHoldsNothingBack() throws Exception {
        try (var harness = deduplicate()) {
            harness.open();
            send(harness, "a", 275, TEN);
            watermarkAfter(harness, TEN);
            send(harness, "a", 275, TEN);
            send(harness, "b", 275, TEN.plusSeconds(120));
            watermarkAfter(harness, TEN.plusSeconds(120));

            assertThat(harness.extractOutputValues())
                    .extracting(TollEvent::eventId)
                    .containsExactly("a", "b");
            assertThat(watermarks(harness)).containsExactly(lessBound(TEN), lessBound(TEN.plusSeconds(120)));
        }
    }

    /**
     * A re-send of "a" stamped 12:00 raised the input's watermark, which stays there; the
     * watermark handed on follows the passages, raised by each, until one passes 12:00.
     */
    @Test
    void aReSendStampedLaterThanThePassagesDoesNotMoveTheWatermark() throws Exception {
        Instant noon = Instant.parse("2026-11-16T12:00:00Z");
        try (var harness = deduplicate()) {
            harness.open();
            send(harness, "a", 275, TEN);
            watermarkAfter(harness, TEN);
            send(harness, "a", 100, noon);
            watermarkAfter(harness, noon);
            send(harness, "b", 275, TEN.plusSeconds(2_400));
            send(harness, "c", 275, TEN.plusSeconds(1_200));
            send(harness, "d", 275, noon.plusSeconds(60));
            watermarkAfter(harness, noon.plusSeconds(60));

            assertThat(harness.extractOutputValues())
                    .extracting(TollEvent::eventId)
                    .containsExactly("a", "b", "c", "d");
            assertThat(watermarks(harness))
                    .containsExactly(
                            lessBound(TEN),
                            lessBound(TEN.plusSeconds(2_400)),
                            // d passes the re-send: the input's watermark is handed on again.
                            lessBound(noon),
                            lessBound(noon.plusSeconds(60)));
        }
    }

    /**
     * Another task dropped a re-send stamped 12:00, which raised the input's watermark for every
     * task: this one hands on the watermark of its own passages, so none of those still on their
     * way is judged against the raised one.
     */
    @Test
    void theWatermarkFollowsThisTasksOwnPassagesAlsoWhenAReSendElsewhereRaisedTheInput() throws Exception {
        Instant noon = Instant.parse("2026-11-16T12:00:00Z");
        try (var harness = deduplicate()) {
            harness.open();
            send(harness, "a", 275, TEN);
            watermarkAfter(harness, noon);
            send(harness, "b", 275, TEN.plusSeconds(600));

            assertThat(watermarks(harness)).containsExactly(lessBound(TEN), lessBound(TEN.plusSeconds(600)));
        }
    }

    /** The latest passage is kept: a restored task holds the watermark from the start. */
    @Test
    void aRestoredTaskStillHoldsTheWatermarkToThePassages() throws Exception {
        Instant noon = Instant.parse("2026-11-16T12:00:00Z");
        OperatorSubtaskState checkpoint;
        try (var before = deduplicate()) {
            before.open();
            send(before, "a", 275, TEN);
            send(before, "a", 100, noon);
            checkpoint = before.snapshot(1, 1);
        }

        try (var restored = deduplicate()) {
            restored.initializeState(checkpoint);
            restored.open();
            watermarkAfter(restored, noon);
            send(restored, "a", 275, TEN);

            assertThat(restored.extractOutputValues()).isEmpty();
            assertThat(watermarks(restored)).containsExactly(lessBound(TEN));
        }
    }

    /**
     * After a restore every task takes the lowest of the tasks' latest passages: one given a
     * later one would hand on a watermark that the tasks behind had not handed on before.
     */
    @Test
    void aRestoredTaskTakesTheLowestOfTheTasksLatestPassages() throws Exception {
        OperatorSubtaskState behind;
        OperatorSubtaskState ahead;
        try (var first = deduplicate();
                var second = deduplicate()) {
            first.open();
            second.open();
            send(first, "a", 275, TEN);
            send(second, "b", 275, TEN.plusSeconds(600));
            behind = first.snapshot(1, 1);
            ahead = second.snapshot(1, 1);
        }

        try (var restored = deduplicate()) {
            restored.initializeState(AbstractStreamOperatorTestHarness.repackageState(behind, ahead));
            restored.open();
            watermarkAfter(restored, TEN.plusSeconds(600));

            assertThat(watermarks(restored)).containsExactly(lessBound(TEN));
        }
    }

    /** An idle output drops watermarks: the held one goes out once the input is active again. */
    @Test
    void aWatermarkRaisedWhileTheInputIsIdleGoesOutWhenItIsActiveAgain() throws Exception {
        Instant noon = Instant.parse("2026-11-16T12:00:00Z");
        try (var harness = deduplicate()) {
            harness.open();
            send(harness, "a", 275, TEN);
            send(harness, "a", 100, noon);
            watermarkAfter(harness, noon);
            harness.processWatermarkStatus(WatermarkStatus.IDLE);
            send(harness, "b", 275, TEN.plusSeconds(2_400));
            assertThat(watermarks(harness)).containsExactly(lessBound(TEN));
            harness.processWatermarkStatus(WatermarkStatus.ACTIVE);

            assertThat(watermarks(harness)).containsExactly(lessBound(TEN), lessBound(TEN.plusSeconds(2_400)));
        }
    }

    /**
     * A task that had no passage for the idle timeout holds nothing back: its output goes idle, as
     * an idle shard's does, and comes back with its watermark on its next passage.
     */
    @Test
    void aTaskWithoutAPassageForTheIdleTimeoutGoesIdleUntilItsNextPassage() throws Exception {
        Instant noon = Instant.parse("2026-11-16T12:00:00Z");
        try (var harness = deduplicate()) {
            harness.setProcessingTime(0);
            harness.open();
            send(harness, "a", 275, TEN);
            watermarkAfter(harness, TEN);
            harness.setProcessingTime(IDLE_TIMEOUT.toMillis());
            // The other tasks' passages raise the input's watermark; this one gets none of them.
            watermarkAfter(harness, TEN.plusSeconds(60));
            assertThat(harness.getOutput()).doesNotContain(WatermarkStatus.IDLE);
            harness.setProcessingTime(2 * IDLE_TIMEOUT.toMillis());
            watermarkAfter(harness, noon);
            send(harness, "b", 275, TEN.plusSeconds(600));

            assertThat(harness.getOutput())
                    .filteredOn(element -> element instanceof Watermark || element instanceof WatermarkStatus)
                    .containsExactly(
                            new Watermark(lessBound(TEN)),
                            WatermarkStatus.IDLE,
                            WatermarkStatus.ACTIVE,
                            new Watermark(lessBound(TEN.plusSeconds(600))));
        }
    }

    /**
     * A task held up (backpressure, a stalled sink) reads neither passages nor watermarks: it
     * stays active, so that the passages waiting for it are not judged later against the
     * watermark the other tasks raised meanwhile.
     */
    @Test
    void aTaskThatReadsNothingAtAllStaysActive() throws Exception {
        try (var harness = deduplicate()) {
            harness.setProcessingTime(0);
            harness.open();
            send(harness, "a", 275, TEN);
            watermarkAfter(harness, TEN);
            for (int look = 1; look <= 5; look++) {
                harness.setProcessingTime(look * IDLE_TIMEOUT.toMillis());
            }

            assertThat(harness.getOutput()).doesNotContain(WatermarkStatus.IDLE);
        }
    }

    /** The end of the input closes every window, also when the task had no passage for a while. */
    @Test
    void theEndOfTheInputGoesOutAlsoFromATaskWithoutAPassageForTheIdleTimeout() throws Exception {
        try (var harness = deduplicate()) {
            harness.setProcessingTime(0);
            harness.open();
            send(harness, "a", 275, TEN);
            watermarkAfter(harness, TEN);
            harness.setProcessingTime(IDLE_TIMEOUT.toMillis());
            watermarkAfter(harness, TEN.plusSeconds(60));
            harness.setProcessingTime(2 * IDLE_TIMEOUT.toMillis());
            harness.processWatermark(Watermark.MAX_WATERMARK);

            assertThat(harness.getOutput())
                    .filteredOn(element -> element instanceof Watermark || element instanceof WatermarkStatus)
                    .containsExactly(
                            new Watermark(lessBound(TEN)),
                            WatermarkStatus.IDLE,
                            WatermarkStatus.ACTIVE,
                            Watermark.MAX_WATERMARK);
        }
    }

    /** A snapshot of the former layout holds the ids seen, not the latest passage: nothing runs ahead. */
    @Test
    void aSnapshotWithoutTheLatestPassageHoldsTheWatermarkUntilAPassageComes() throws Exception {
        Instant noon = Instant.parse("2026-11-16T12:00:00Z");
        OperatorSubtaskState idsOnly;
        try (var before = deduplicate()) {
            before.open();
            send(before, "a", 275, TEN);
            OperatorSubtaskState whole = before.snapshot(1, 1);
            idsOnly = OperatorSubtaskState.builder()
                    .setManagedKeyedState(whole.getManagedKeyedState())
                    .build();
        }

        try (var restored = deduplicate()) {
            restored.initializeState(idsOnly);
            restored.open();
            send(restored, "a", 100, noon);
            watermarkAfter(restored, noon);
            send(restored, "b", 275, TEN.plusSeconds(600));

            assertThat(restored.extractOutputValues())
                    .extracting(TollEvent::eventId)
                    .containsExactly("b");
            assertThat(watermarks(restored)).containsExactly(lessBound(TEN.plusSeconds(600)));
        }
    }
}
