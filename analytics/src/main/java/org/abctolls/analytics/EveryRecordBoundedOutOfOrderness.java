package org.abctolls.analytics;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Flink's bounded out-of-orderness watermarks over valid passages only (a rejected record
 * never moves the watermark), emitted after each passage rather than on a timer: for an
 * input read in one order, what is late then depends only on that order.
 */
final class EveryRecordBoundedOutOfOrderness extends BoundedOutOfOrdernessWatermarks<InputRecord> {

    EveryRecordBoundedOutOfOrderness(Duration bound) {
        super(bound);
    }

    @Override
    public void onEvent(InputRecord record, long eventTimestamp, WatermarkOutput output) {
        if (record.isPassage()) {
            // After an idle spell, a passage that does not raise the watermark (one before a re-send
            // stamped later) would otherwise leave the input marked idle. The passage itself has
            // gone on before this runs, so FirstSightingOnly sends the watermark it raised when
            // this status arrives; the two depend on each other.
            output.markActive();
            super.onEvent(record, eventTimestamp, output);
            onPeriodicEmit(output);
        }
    }
}
