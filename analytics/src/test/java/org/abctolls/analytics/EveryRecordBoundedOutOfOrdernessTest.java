package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.VehicleClass;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class EveryRecordBoundedOutOfOrdernessTest {

    /** What the generator told its output, in order. */
    private static final class Recorded implements WatermarkOutput {
        final List<String> calls = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark watermark) {
            calls.add("watermark " + watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
            calls.add("idle");
        }

        @Override
        public void markActive() {
            calls.add("active");
        }
    }

    /**
     * A passage marks the input active even when it does not raise the watermark: after an idle
     * spell, what follows it (a watermark held back downstream) must not be dropped as idle.
     */
    @Test
    void eachPassageMarksTheInputActiveAndEmitsItsWatermark() {
        EveryRecordBoundedOutOfOrderness generator = new EveryRecordBoundedOutOfOrderness(Duration.ofMillis(100));
        Recorded output = new Recorded();
        InputRecord rejected = InputRecord.read("not json".getBytes(StandardCharsets.UTF_8), Instant.MAX);

        generator.onEvent(rejected, 5_000, output);
        output.calls.add("then a passage");
        generator.onEvent(passage(), 1_000, output);

        assertThat(output.calls).containsExactly("then a passage", "active", "watermark 899");
    }

    private static InputRecord passage() {
        Instant time = Instant.ofEpochMilli(1_000);
        return new InputRecord(
                new TollEvent("e1", "S0001", 1, "T0000001", "C0000001", VehicleClass.CAR, 275, time), null, null);
    }
}
