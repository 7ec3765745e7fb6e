package org.abctolls.analytics;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * The reference data's watermark: none until the first poll's answer, then an idle input.
 *
 * <p>Reference data has no event time of its own, yet it joins the passages in an operator
 * whose watermark is the lower of its two inputs'. Holding back until the first answer means
 * no window is judged before the job has looked for the thresholds (after a restore, the
 * version in force is already in state). After it the input is idle for good, which Flink
 * leaves out of the operator's watermark, so the passages alone drive it. The end of time
 * would not do: once the passages' input went idle too (no traffic for the idle timeout), the
 * operator's watermark would jump to the end of time, judge windows whose counts have not
 * come yet, and never move again.
 */
final class ReleaseAfterFirstSnapshot implements WatermarkGenerator<ReferenceDataSnapshot> {

    private boolean released;

    @Override
    public void onEvent(ReferenceDataSnapshot snapshot, long timestamp, WatermarkOutput output) {
        released = true;
        output.markIdle();
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (released) {
            output.markIdle();
        }
    }
}
