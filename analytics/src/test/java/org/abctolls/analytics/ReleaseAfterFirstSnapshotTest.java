package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReleaseAfterFirstSnapshotTest {

    /**
     * Holds the joined operator back until the first snapshot, then leaves it to the passages: an
     * idle input, never the end of time, which an idle passages' input would let through.
     */
    @Test
    void holdsBackUntilTheFirstSnapshotThenGoesIdleWithoutEverEmittingAWatermark() {
        var generator = new ReleaseAfterFirstSnapshot();
        var output = new RecordingWatermarkOutput();

        generator.onPeriodicEmit(output);
        assertThat(output.told).isEmpty();

        generator.onEvent(ReferenceDataSnapshot.unusable("v1", "stations.csv: not found"), 0, output);
        generator.onPeriodicEmit(output);
        generator.onEvent(ReferenceDataSnapshot.unusable("v2", "stations.csv: not found"), 0, output);

        assertThat(output.told).containsOnly("idle").isNotEmpty();
    }
}
