package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.VehicleClass;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Where records are read: passages on, rejected records aside, and the window of the first passage named once. */
class SplitRejectedTest {

    private static InputRecord passage(String eventId, String eventTime) {
        return new InputRecord(
                new TollEvent(
                        eventId, "S0001", 1, "T0000001", "C0000001", VehicleClass.CAR, 100, Instant.parse(eventTime)),
                null,
                null);
    }

    private static OneInputStreamOperatorTestHarness<InputRecord, TollEvent> opened(OperatorSubtaskState state)
            throws Exception {
        var harness = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new SplitRejected()));
        if (state != null) {
            harness.initializeState(state);
        }
        harness.open();
        return harness;
    }

    private static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void namesTheStationWindowOfTheFirstPassageOnlyAndNotAgainAfterARestore() throws Exception {
        var reader = opened(null);
        reader.processElement(new StreamRecord<>(
                new InputRecord(null, new byte[] {'{'}, "not valid JSON"), millis("2026-11-18T14:40:00Z")));
        reader.processElement(
                new StreamRecord<>(passage("first", "2026-11-18T14:40:00Z"), millis("2026-11-18T14:40:00Z")));
        reader.processElement(
                new StreamRecord<>(passage("second", "2026-11-18T14:20:00Z"), millis("2026-11-18T14:20:00Z")));
        OperatorSubtaskState checkpoint = reader.snapshot(1, 1);

        assertThat(reader.getSideOutput(SplitRejected.FIRST_PASSAGE_READ))
                .extracting(StreamRecord::getValue)
                .containsExactly(StationCount.firstPassageRead(millis("2026-11-18T14:30:00Z")));
        assertThat(reader.getSideOutput(SplitRejected.REJECTED)).hasSize(1);
        assertThat(reader.extractOutputValues()).extracting(TollEvent::eventId).containsExactly("first", "second");
        reader.close();

        var restored = opened(checkpoint);
        restored.processElement(
                new StreamRecord<>(passage("after-restore", "2026-11-18T14:10:00Z"), millis("2026-11-18T14:10:00Z")));

        assertThat(restored.getSideOutput(SplitRejected.FIRST_PASSAGE_READ)).isNull();
        restored.close();
    }
}
