package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.VehicleClass;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
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

    private static final int MAX_PARALLELISM = 128;

    /** The readers' states together, and how many readers there were. */
    private record Checkpoint(OperatorSubtaskState state, int readers) {}

    private static OneInputStreamOperatorTestHarness<InputRecord, TollEvent> opened(
            Checkpoint checkpoint, int readers, int reader) throws Exception {
        var harness = new OneInputStreamOperatorTestHarness<>(
                new ProcessOperator<>(new SplitRejected()), MAX_PARALLELISM, readers, reader);
        if (checkpoint != null) {
            harness.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(
                    checkpoint.state(), MAX_PARALLELISM, checkpoint.readers(), readers, reader));
        }
        harness.open();
        return harness;
    }

    private static Checkpoint checkpoint(List<OneInputStreamOperatorTestHarness<InputRecord, TollEvent>> readers)
            throws Exception {
        OperatorSubtaskState[] states = new OperatorSubtaskState[readers.size()];
        for (int i = 0; i < states.length; i++) {
            states[i] = readers.get(i).snapshot(1, 1);
        }
        return new Checkpoint(AbstractStreamOperatorTestHarness.repackageState(states), states.length);
    }

    private static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void namesTheStationWindowOfTheFirstPassageOnlyAndNotAgainAfterARestore() throws Exception {
        var reader = opened(null, 1, 0);
        reader.processElement(new StreamRecord<>(
                new InputRecord(null, new byte[] {'{'}, "not valid JSON"), millis("2026-11-18T14:40:00Z")));
        reader.processElement(
                new StreamRecord<>(passage("first", "2026-11-18T14:40:00Z"), millis("2026-11-18T14:40:00Z")));
        reader.processElement(
                new StreamRecord<>(passage("second", "2026-11-18T14:20:00Z"), millis("2026-11-18T14:20:00Z")));
        Checkpoint checkpoint = checkpoint(List.of(reader));

        assertThat(reader.getSideOutput(SplitRejected.FIRST_PASSAGE_READ))
                .extracting(StreamRecord::getValue)
                .containsExactly(StationCount.firstPassageRead(millis("2026-11-18T14:30:00Z")));
        assertThat(reader.getSideOutput(SplitRejected.REJECTED)).hasSize(1);
        assertThat(reader.extractOutputValues()).extracting(TollEvent::eventId).containsExactly("first", "second");
        reader.close();

        var restored = opened(checkpoint, 1, 0);
        restored.processElement(
                new StreamRecord<>(passage("after-restore", "2026-11-18T14:10:00Z"), millis("2026-11-18T14:10:00Z")));

        assertThat(restored.getSideOutput(SplitRejected.FIRST_PASSAGE_READ)).isNull();
        restored.close();
    }

    @Test
    void aReaderThatHadNotReadAPassageNamesItsFirstAfterARestoreAtTheSameParallelism() throws Exception {
        var named = opened(null, 2, 0);
        var notYet = opened(null, 2, 1);
        named.processElement(
                new StreamRecord<>(passage("first", "2026-11-18T14:40:00Z"), millis("2026-11-18T14:40:00Z")));
        Checkpoint checkpoint = checkpoint(List.of(named, notYet));
        named.close();
        notYet.close();

        var restoredNamed = opened(checkpoint, 2, 0);
        var restoredNotYet = opened(checkpoint, 2, 1);
        restoredNamed.processElement(
                new StreamRecord<>(passage("a", "2026-11-18T14:10:00Z"), millis("2026-11-18T14:10:00Z")));
        restoredNotYet.processElement(
                new StreamRecord<>(passage("b", "2026-11-18T14:20:00Z"), millis("2026-11-18T14:20:00Z")));

        assertThat(restoredNamed.getSideOutput(SplitRejected.FIRST_PASSAGE_READ))
                .isNull();
        assertThat(restoredNotYet.getSideOutput(SplitRejected.FIRST_PASSAGE_READ))
                .extracting(StreamRecord::getValue)
                .containsExactly(StationCount.firstPassageRead(millis("2026-11-18T14:00:00Z")));
        restoredNamed.close();
        restoredNotYet.close();
    }

    /** The readers read other shards after a rescale: the job's first passage was named before it. */
    @Test
    void noReaderNamesAWindowAgainAfterARescaleOnceAnyHadNamedOne() throws Exception {
        var only = opened(null, 1, 0);
        only.processElement(
                new StreamRecord<>(passage("first", "2026-11-18T14:40:00Z"), millis("2026-11-18T14:40:00Z")));
        Checkpoint checkpoint = checkpoint(List.of(only));
        only.close();

        for (int reader = 0; reader < 3; reader++) {
            var restored = opened(checkpoint, 3, reader);
            restored.processElement(
                    new StreamRecord<>(passage("p" + reader, "2026-11-18T14:20:00Z"), millis("2026-11-18T14:20:00Z")));

            assertThat(restored.getSideOutput(SplitRejected.FIRST_PASSAGE_READ))
                    .as("reader %d of 3", reader)
                    .isNull();
            restored.close();
        }
        Checkpoint atThree =
                checkpoint(List.of(opened(checkpoint, 3, 0), opened(checkpoint, 3, 1), opened(checkpoint, 3, 2)));
        var scaledDown = opened(atThree, 1, 0);
        scaledDown.processElement(
                new StreamRecord<>(passage("later", "2026-11-18T14:20:00Z"), millis("2026-11-18T14:20:00Z")));
        assertThat(scaledDown.getSideOutput(SplitRejected.FIRST_PASSAGE_READ)).isNull();
        scaledDown.close();
    }
}
