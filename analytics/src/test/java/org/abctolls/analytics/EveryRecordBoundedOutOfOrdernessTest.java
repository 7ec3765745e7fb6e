package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.VehicleClass;
import org.junit.jupiter.api.Test;

class EveryRecordBoundedOutOfOrdernessTest {

    /**
     * A passage marks the input active even when it does not raise the watermark: after an idle
     * spell, what follows it (a watermark held back downstream) must not be dropped as idle.
     */
    @Test
    void eachPassageMarksTheInputActiveAndEmitsItsWatermark() {
        EveryRecordBoundedOutOfOrderness generator = new EveryRecordBoundedOutOfOrderness(Duration.ofMillis(100));
        RecordingWatermarkOutput output = new RecordingWatermarkOutput();
        InputRecord rejected = InputRecord.read("not json".getBytes(StandardCharsets.UTF_8), Instant.MAX);

        generator.onEvent(rejected, 5_000, output);
        output.told.add("then a passage");
        generator.onEvent(passage(), 1_000, output);

        assertThat(output.told).containsExactly("then a passage", "active", "watermark 899");
    }

    private static InputRecord passage() {
        Instant time = Instant.ofEpochMilli(1_000);
        return new InputRecord(
                new TollEvent("e1", "S0001", 1, "T0000001", "C0000001", VehicleClass.CAR, 275, time), null, null);
    }
}
