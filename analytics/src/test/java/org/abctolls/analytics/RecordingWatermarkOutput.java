package org.abctolls.analytics;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/** Records what a watermark generator tells its output, in order. */
final class RecordingWatermarkOutput implements WatermarkOutput {
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
