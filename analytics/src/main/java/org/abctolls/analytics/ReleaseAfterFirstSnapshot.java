package org.abctolls.analytics;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * The reference data's watermark: none until the first poll's answer, then the end of time.
 *
 * <p>Reference data has no event time of its own, yet it joins the passages in an operator
 * whose watermark is the lower of its two inputs'. Holding back until the first answer means
 * no window is judged before the job has looked for the thresholds (after a restore, the
 * version in force is already in state); releasing completely after it means reference data
 * never holds the passages back again.
 */
final class ReleaseAfterFirstSnapshot implements WatermarkGenerator<ReferenceDataSnapshot> {

    private boolean released;

    @Override
    public void onEvent(ReferenceDataSnapshot snapshot, long timestamp, WatermarkOutput output) {
        released = true;
        output.emitWatermark(Watermark.MAX_WATERMARK);
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (released) {
            output.emitWatermark(Watermark.MAX_WATERMARK);
        }
    }
}
