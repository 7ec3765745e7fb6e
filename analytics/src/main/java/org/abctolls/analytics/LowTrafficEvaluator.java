package org.abctolls.analytics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.abctolls.domain.LowTrafficAlert;
import org.abctolls.domain.Station;
import org.abctolls.domain.ThresholdSlot;
import org.abctolls.domain.TumblingWindow;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Compares every station in the reference data, for every closed station window, with its
 * threshold; a station that counted nothing in a window (a dead sensor) is evaluated too,
 * which a window operator alone cannot do, because a key with no records never fires.
 *
 * <p>All station counts come to one key. A window is evaluated when the watermark passes its
 * end: by then every upstream window operator has emitted its count for it, and the
 * reference data has arrived (see {@link ReleaseAfterFirstSnapshot}). Evaluation runs from
 * the earliest window with a counted passage to the latest such window, so a bounded input
 * stops where its traffic stops. Each window is evaluated with the reference data current
 * at that moment: a new version applies from the next window evaluated, without a restart.
 */
final class LowTrafficEvaluator
        extends KeyedBroadcastProcessFunction<Integer, StationCount, ReferenceDataSnapshot, LowTrafficAlert> {
    private static final long serialVersionUID = 1L;

    static final int ALL_STATIONS = 0;
    static final MapStateDescriptor<String, ReferenceDataSnapshot> REFERENCE_DATA =
            new MapStateDescriptor<>("reference-data", String.class, ReferenceDataSnapshot.class);
    private static final String CURRENT = "current";
    private static final long WINDOW_MILLIS = TumblingWindow.STATION.toMillis();

    private transient String parsedVersion;
    private transient ReferenceDataSnapshot.Parsed parsed;
    private transient MapState<String, Long> counts;
    private transient ValueState<Long> nextWindow;
    private transient ValueState<Long> lastWindow;

    @Override
    public void open(OpenContext context) {
        counts = getRuntimeContext().getMapState(new MapStateDescriptor<>("counts", String.class, Long.class));
        nextWindow = getRuntimeContext().getState(new ValueStateDescriptor<>("next-window", Long.class));
        lastWindow = getRuntimeContext().getState(new ValueStateDescriptor<>("last-window", Long.class));
    }

    @Override
    public void processBroadcastElement(ReferenceDataSnapshot snapshot, Context context, Collector<LowTrafficAlert> out)
            throws Exception {
        context.getBroadcastState(REFERENCE_DATA).put(CURRENT, snapshot);
    }

    @Override
    public void processElement(StationCount count, ReadOnlyContext context, Collector<LowTrafficAlert> out)
            throws Exception {
        counts.put(key(count.windowStart(), count.stationId()), count.vehicles());
        if (nextWindow.value() == null || count.windowStart() < nextWindow.value()) {
            nextWindow.update(count.windowStart());
        }
        if (lastWindow.value() == null || count.windowStart() > lastWindow.value()) {
            lastWindow.update(count.windowStart());
        }
        context.timerService().registerEventTimeTimer(nextWindow.value() + WINDOW_MILLIS - 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<LowTrafficAlert> out) throws Exception {
        ReferenceDataSnapshot.Parsed reference = referenceData(context.getBroadcastState(REFERENCE_DATA));
        long watermark = context.timerService().currentWatermark();
        long window = nextWindow.value();
        long last = lastWindow.value();
        while (window <= last && window + WINDOW_MILLIS - 1 <= watermark) {
            evaluate(window, reference, out);
            window += WINDOW_MILLIS;
        }
        nextWindow.update(window);
        if (window <= last) {
            context.timerService().registerEventTimeTimer(window + WINDOW_MILLIS - 1);
        }
    }

    /** Parsed once per version per task, not once per window. */
    private ReferenceDataSnapshot.Parsed referenceData(ReadOnlyBroadcastState<String, ReferenceDataSnapshot> state)
            throws Exception {
        ReferenceDataSnapshot current = state.get(CURRENT);
        if (current == null) {
            throw new IllegalStateException("a station window closed before any reference data arrived");
        }
        if (!current.version().equals(parsedVersion)) {
            parsed = current.parse();
            parsedVersion = current.version();
        }
        return parsed;
    }

    private void evaluate(long windowStart, ReferenceDataSnapshot.Parsed reference, Collector<LowTrafficAlert> out)
            throws Exception {
        Instant start = Instant.ofEpochMilli(windowStart);
        for (Station station : reference.stations()) {
            Long counted = counts.get(key(windowStart, station.stationId()));
            long vehicles = counted == null ? 0 : counted;
            OptionalInt min = reference
                    .thresholds()
                    .minVehicles(station.stationId(), ThresholdSlot.of(start, station.timeZone()));
            if (min.isPresent() && vehicles < min.getAsInt()) {
                out.collect(new LowTrafficAlert(
                        station.stationId(), start, start.plusMillis(WINDOW_MILLIS), vehicles, min.getAsInt()));
            }
        }
        forget(windowStart);
    }

    /** Drops the window's counts, those of stations not (or no longer) in the reference data included. */
    private void forget(long windowStart) throws Exception {
        String prefix = windowStart + "/";
        List<String> evaluated = new ArrayList<>();
        for (String key : counts.keys()) {
            if (key.startsWith(prefix)) {
                evaluated.add(key);
            }
        }
        for (String key : evaluated) {
            counts.remove(key);
        }
    }

    private static String key(long windowStart, String stationId) {
        return windowStart + "/" + stationId;
    }
}
