package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.VehicleClass;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Counting each station window's passages before the shuffle: every count handed on once, before its window closes. */
// Flink's test harnesses are closed with try-with-resources although their close() may be interrupted.
@SuppressWarnings("try")
class StationPartialCountsTest {

    private static final int MAX_PARALLELISM = 128;

    private static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static StreamRecord<TollEvent> passage(String stationId, String time) {
        return new StreamRecord<>(
                new TollEvent(
                        "e-" + stationId + time,
                        stationId,
                        1,
                        "T0000001",
                        "C0000001",
                        VehicleClass.CAR,
                        275,
                        Instant.parse(time)),
                millis(time));
    }

    private static OneInputStreamOperatorTestHarness<TollEvent, StationCount> opened(
            OperatorSubtaskState restored, int restoredTasks, int tasks, int task) throws Exception {
        var harness = new OneInputStreamOperatorTestHarness<>(new StationPartialCounts(), MAX_PARALLELISM, tasks, task);
        if (restored != null) {
            harness.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(
                    restored, MAX_PARALLELISM, restoredTasks, tasks, task));
        }
        harness.open();
        return harness;
    }

    @Test
    void handsOnOneCountPerStationAndWindowJustBeforeTheWatermarkThatClosesTheWindow() throws Exception {
        try (var counts = opened(null, 1, 1, 0)) {
            counts.processElement(passage("S0001", "2026-11-18T14:05:00Z"));
            counts.processElement(passage("S0002", "2026-11-18T14:10:00Z"));
            counts.processElement(passage("S0001", "2026-11-18T14:29:59.999Z"));
            counts.processElement(passage("S0001", "2026-11-18T14:30:00Z"));
            counts.processWatermark(new Watermark(millis("2026-11-18T14:29:59.998Z")));
            counts.processWatermark(new Watermark(millis("2026-11-18T14:29:59.999Z")));

            long lastMillis = millis("2026-11-18T14:29:59.999Z");
            assertThat(new ArrayList<Object>(counts.getOutput()))
                    .containsExactly(
                            new Watermark(lastMillis - 1),
                            new StreamRecord<>(
                                    new StationCount("S0001", millis("2026-11-18T14:00:00Z"), 2), lastMillis),
                            new StreamRecord<>(
                                    new StationCount("S0002", millis("2026-11-18T14:00:00Z"), 1), lastMillis),
                            new Watermark(lastMillis));
        }
    }

    /** Windows downstream stop waiting for an idle input, so its counts must be there first. */
    @Test
    void anInputTurningIdleHandsOnEveryCountBeforeTheIdleStatusAndCountsAgainAfterIt() throws Exception {
        try (var counts = opened(null, 1, 1, 0)) {
            counts.processElement(passage("S0001", "2026-11-18T14:05:00Z"));
            counts.processWatermarkStatus(WatermarkStatus.IDLE);
            counts.processWatermarkStatus(WatermarkStatus.ACTIVE);
            counts.processElement(passage("S0001", "2026-11-18T14:06:00Z"));
            counts.processWatermark(Watermark.MAX_WATERMARK);

            long lastMillis = millis("2026-11-18T14:29:59.999Z");
            StreamRecord<StationCount> one =
                    new StreamRecord<>(new StationCount("S0001", millis("2026-11-18T14:00:00Z"), 1), lastMillis);
            assertThat(new ArrayList<Object>(counts.getOutput()))
                    .containsExactly(one, WatermarkStatus.IDLE, WatermarkStatus.ACTIVE, one, Watermark.MAX_WATERMARK);
        }
    }

    /**
     * Counts not yet handed on at a checkpoint come back once, whichever task they land on after
     * a rescale, and nothing handed on before the checkpoint comes back.
     */
    @Test
    void countsNotYetHandedOnAtACheckpointAreHandedOnOnceAfterARestoreRescaledOrNot() throws Exception {
        OperatorSubtaskState[] states = new OperatorSubtaskState[2];
        for (int task = 0; task < 2; task++) {
            try (var counts = opened(null, 1, 2, task)) {
                counts.processElement(passage("S0001", "2026-11-18T13:45:00Z"));
                counts.processElement(passage("S0001", "2026-11-18T14:05:00Z"));
                counts.processElement(passage("S000" + (task + 2), "2026-11-18T14:05:00Z"));
                counts.processWatermark(new Watermark(millis("2026-11-18T14:00:00Z")));
                states[task] = counts.snapshot(1, 1);
            }
        }
        OperatorSubtaskState checkpoint = AbstractStreamOperatorTestHarness.repackageState(states);

        for (int tasks : new int[] {1, 2, 3}) {
            Map<String, Long> handedOn = new TreeMap<>();
            for (int task = 0; task < tasks; task++) {
                try (var restored = opened(checkpoint, 2, tasks, task)) {
                    restored.processWatermark(Watermark.MAX_WATERMARK);
                    for (StationCount count : restored.extractOutputValues()) {
                        handedOn.merge(
                                count.stationId() + "@" + Instant.ofEpochMilli(count.windowStart()),
                                count.vehicles(),
                                Long::sum);
                    }
                }
            }

            assertThat(handedOn)
                    .as("restored on %d tasks", tasks)
                    .containsExactlyEntriesOf(new TreeMap<>(Map.of(
                            "S0001@2026-11-18T14:00:00Z", 2L,
                            "S0002@2026-11-18T14:00:00Z", 1L,
                            "S0003@2026-11-18T14:00:00Z", 1L)));
        }
    }

    @Test
    void aRestoredTaskWithNothingSavedHandsOnNothing() throws Exception {
        OperatorSubtaskState empty;
        try (var counts = opened(null, 1, 1, 0)) {
            empty = counts.snapshot(1, 1);
        }
        try (var restored = opened(empty, 1, 1, 0)) {
            restored.processWatermark(Watermark.MAX_WATERMARK);

            assertThat(restored.extractOutputValues()).isEqualTo(List.of());
        }
    }
}
