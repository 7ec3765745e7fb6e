package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class ReleaseAfterFirstSnapshotTest {

    /** Records what a generator tells its output. */
    private static final class RecordingOutput implements WatermarkOutput {
        final List<String> told = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark watermark) {
            told.add("watermark " + watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
            told.add("idle");
        }

        @Override
        public void markActive() {
            told.add("active");
        }
    }

    /**
     * Holds the joined operator back until the first snapshot, then leaves it to the passages: an
     * idle input, never the end of time, which an idle passages' input would let through.
     */
    @Test
    void holdsBackUntilTheFirstSnapshotThenGoesIdleWithoutEverEmittingAWatermark() {
        var generator = new ReleaseAfterFirstSnapshot();
        var output = new RecordingOutput();

        generator.onPeriodicEmit(output);
        assertThat(output.told).isEmpty();

        generator.onEvent(ReferenceDataSnapshot.unusable("v1", "stations.csv: not found"), 0, output);
        generator.onPeriodicEmit(output);
        generator.onEvent(ReferenceDataSnapshot.unusable("v2", "stations.csv: not found"), 0, output);

        assertThat(output.told).containsOnly("idle").isNotEmpty();
    }
}
