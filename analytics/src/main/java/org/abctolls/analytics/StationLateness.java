package org.abctolls.analytics;

import java.util.List;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TumblingWindow;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * In the station windows' task, just before them: sends on the passages still in time for their
 * 30-minute station window and the others to {@link #LATE_FOR_STATIONS}, judged as Flink's window
 * operator judges lateness, against a watermark that survives a restore.
 *
 * <p>Here, after the shuffle by station, the watermark is the lowest of all the deduplicating
 * tasks' ({@link FirstSightingOnly}), the one the windows close by. Judged before the shuffle, in
 * one deduplicating task, against that task's watermark (which may be ahead of the others'), a
 * passage could be late for a window that the window operator still keeps open, and be missing
 * from its count.
 *
 * <p>Flink does not keep watermarks in checkpoints: a restored job starts again from no
 * watermark, and until replayed records have raised it, the window operator would re-create a
 * window it had already closed and judged, and fire it again with only the passages that arrive
 * now. So this keeps the highest watermark it has seen in its checkpointed state and, after a
 * restore, judges against whichever is higher: that or the watermark now. The end of an input (a
 * drained stop) does not count: a job resumed after it must count new traffic again, and the
 * evaluator keeps the windows it judged closed.
 */
final class StationLateness extends AbstractStreamOperator<TollEvent>
        implements OneInputStreamOperator<TollEvent, TollEvent> {
    private static final long serialVersionUID = 1L;

    static final OutputTag<TollEvent> LATE_FOR_STATIONS =
            new OutputTag<>("late-for-stations", TollEventTypeInfo.INSTANCE);

    private static final long STATION_MILLIS = TumblingWindow.STATION.toMillis();

    private transient ListState<Long> savedWatermarks;
    private transient long watermark;

    StationLateness() {
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    /**
     * Every task of the previous run left its watermark; after a restore (or a rescale, where
     * each task gets them all) the lowest is the one every one of them had passed.
     */
    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        savedWatermarks = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("highest-station-watermark", Long.class));
        watermark = UnionStates.lowest(savedWatermarks);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        savedWatermarks.update(List.of(watermark));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (!mark.equals(Watermark.MAX_WATERMARK)) {
            watermark = Math.max(watermark, mark.getTimestamp());
        }
        super.processWatermark(mark);
    }

    @Override
    public void processElement(StreamRecord<TollEvent> record) {
        long lastMillis = TumblingWindow.startMillis(record.getTimestamp(), STATION_MILLIS) + STATION_MILLIS - 1;
        if (lastMillis <= watermark) {
            output.collect(LATE_FOR_STATIONS, record);
        } else {
            output.collect(record);
        }
    }
}
