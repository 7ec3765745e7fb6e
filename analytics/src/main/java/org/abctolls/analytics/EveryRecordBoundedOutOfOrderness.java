package org.abctolls.analytics;

import java.time.Duration;
import org.abctolls.domain.TollEvent;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/** Flink's bounded out-of-orderness watermarks, emitted after each record rather than on a timer. */
final class EveryRecordBoundedOutOfOrderness extends BoundedOutOfOrdernessWatermarks<TollEvent> {

    EveryRecordBoundedOutOfOrderness(Duration bound) {
        super(bound);
    }

    @Override
    public void onEvent(TollEvent event, long eventTimestamp, WatermarkOutput output) {
        super.onEvent(event, eventTimestamp, output);
        onPeriodicEmit(output);
    }
}
