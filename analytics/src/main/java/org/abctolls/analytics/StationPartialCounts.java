package org.abctolls.analytics;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TumblingWindow;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Counts the passages of each station window in the task that routed them, and hands on one
 * partial count per station and window when the watermark passes the window's end, so that
 * the shuffle by station carries a few counts instead of every passage (Flink SQL's local
 * aggregation before a global one). The station windows downstream add the partial counts up.
 *
 * <p>A partial count goes out before the watermark that passes its window, so the windows
 * downstream, which close on the lowest watermark of these tasks, have every count before they
 * fire. An input that turns idle no longer holds those windows back, so its counts go out
 * before the idle status does; a later passage for a window still open is counted again and
 * goes out as a second partial count, which the window adds. Counts not yet handed on are in
 * the checkpoint, as a list that a rescaled job shares out among its tasks.
 */
final class StationPartialCounts extends AbstractStreamOperator<StationCount>
        implements OneInputStreamOperator<TollEvent, StationCount> {
    private static final long serialVersionUID = 1L;

    private static final long WINDOW_MILLIS = TumblingWindow.STATION.toMillis();

    /** Window start to station to count; a task sees one or two windows open at a time. */
    private transient TreeMap<Long, Map<String, long[]>> counting;
    /** The window the last passage counted in, found without a lookup for the passages after it; null after a hand-on. */
    private transient Map<String, long[]> lastWindow;

    private transient long lastWindowStart;

    private transient ListState<Tuple3<String, Long, Long>> savedCounts;

    StationPartialCounts() {
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        savedCounts = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>(
                        "station-partial-counts", TypeInformation.of(new TypeHint<Tuple3<String, Long, Long>>() {})));
        counting = new TreeMap<>();
        for (Tuple3<String, Long, Long> saved : savedCounts.get()) {
            count(saved.f0, saved.f1, saved.f2);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        savedCounts.clear();
        for (Map.Entry<Long, Map<String, long[]>> window : counting.entrySet()) {
            for (Map.Entry<String, long[]> station : window.getValue().entrySet()) {
                savedCounts.add(Tuple3.of(station.getKey(), window.getKey(), station.getValue()[0]));
            }
        }
    }

    @Override
    public void processElement(StreamRecord<TollEvent> passage) {
        count(passage.getValue().stationId(), TumblingWindow.startMillis(passage.getTimestamp(), WINDOW_MILLIS), 1);
    }

    private void count(String stationId, long windowStart, long passages) {
        if (lastWindow == null || windowStart != lastWindowStart) {
            lastWindow = counting.computeIfAbsent(windowStart, start -> new HashMap<>());
            lastWindowStart = windowStart;
        }
        lastWindow.computeIfAbsent(stationId, station -> new long[1])[0] += passages;
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        while (!counting.isEmpty() && lastMillis(counting.firstKey()) <= mark.getTimestamp()) {
            handOn(counting.pollFirstEntry());
        }
        super.processWatermark(mark);
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        if (status.isIdle()) {
            while (!counting.isEmpty()) {
                handOn(counting.pollFirstEntry());
            }
        }
        super.processWatermarkStatus(status);
    }

    private void handOn(Map.Entry<Long, Map<String, long[]>> window) {
        lastWindow = null;
        long start = window.getKey();
        for (Map.Entry<String, long[]> station : window.getValue().entrySet()) {
            output.collect(new StreamRecord<>(
                    new StationCount(station.getKey(), start, station.getValue()[0]), lastMillis(start)));
        }
    }

    private static long lastMillis(long windowStart) {
        return windowStart + WINDOW_MILLIS - 1;
    }
}
