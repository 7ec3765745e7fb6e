package org.abctolls.analytics;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.abctolls.domain.LowTrafficAlert;
import org.abctolls.domain.ReferenceData;
import org.abctolls.domain.Station;
import org.abctolls.domain.StationThresholds;
import org.abctolls.domain.ThresholdSlot;
import org.abctolls.domain.TumblingWindow;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Compares every station in the reference data, for every closed station window, with its
 * threshold; a station that counted nothing in a window (a dead sensor) is evaluated too,
 * which a window operator alone cannot do, because a key with no records never fires.
 *
 * <p>All station counts come to one key. A window is evaluated when the watermark passes its
 * end: by then every upstream window operator has emitted its count for it. Evaluation runs
 * from the earliest window with a counted passage to the latest such window, so a bounded
 * input stops where its traffic stops.
 */
final class LowTrafficEvaluator extends KeyedProcessFunction<Integer, StationCount, LowTrafficAlert> {
    private static final long serialVersionUID = 1L;

    static final int ALL_STATIONS = 0;
    private static final long WINDOW_MILLIS = TumblingWindow.STATION.toMillis();

    private final String stationsCsv;
    private final String thresholdsCsv;
    private transient List<Station> stations;
    private transient Set<String> stationIds;
    private transient StationThresholds thresholds;
    private transient MapState<String, Long> counts;
    private transient ValueState<Long> nextWindow;
    private transient ValueState<Long> lastWindow;

    /** Reference data as the CSV text of contract section 2, parsed (and checked) when the task opens. */
    LowTrafficEvaluator(String stationsCsv, String thresholdsCsv) {
        this.stationsCsv = stationsCsv;
        this.thresholdsCsv = thresholdsCsv;
    }

    @Override
    public void open(OpenContext context) {
        stations = ReferenceData.readStations(ReferenceData.STATIONS_FILE, new StringReader(stationsCsv));
        stationIds = stations.stream().map(Station::stationId).collect(Collectors.toSet());
        thresholds = new StationThresholds(ReferenceData.readStationThresholds(
                ReferenceData.STATION_THRESHOLDS_FILE, new StringReader(thresholdsCsv), stations));
        counts = getRuntimeContext().getMapState(new MapStateDescriptor<>("counts", String.class, Long.class));
        nextWindow = getRuntimeContext().getState(new ValueStateDescriptor<>("next-window", Long.class));
        lastWindow = getRuntimeContext().getState(new ValueStateDescriptor<>("last-window", Long.class));
    }

    @Override
    public void processElement(StationCount count, Context context, Collector<LowTrafficAlert> out) throws Exception {
        if (!stationIds.contains(count.stationId())) {
            // Only stations in the reference data are evaluated; keeping others would only leak state.
            return;
        }
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
        long watermark = context.timerService().currentWatermark();
        long window = nextWindow.value();
        long last = lastWindow.value();
        while (window <= last && window + WINDOW_MILLIS - 1 <= watermark) {
            evaluate(window, out);
            window += WINDOW_MILLIS;
        }
        nextWindow.update(window);
        if (window <= last) {
            context.timerService().registerEventTimeTimer(window + WINDOW_MILLIS - 1);
        }
    }

    private void evaluate(long windowStart, Collector<LowTrafficAlert> out) throws Exception {
        Instant start = Instant.ofEpochMilli(windowStart);
        for (Station station : stations) {
            String key = key(windowStart, station.stationId());
            Long counted = counts.get(key);
            long vehicles = counted == null ? 0 : counted;
            counts.remove(key);
            OptionalInt min = thresholds.minVehicles(station.stationId(), ThresholdSlot.of(start, station.timeZone()));
            if (min.isPresent() && vehicles < min.getAsInt()) {
                out.collect(new LowTrafficAlert(
                        station.stationId(), start, start.plusMillis(WINDOW_MILLIS), vehicles, min.getAsInt()));
            }
        }
    }

    private static String key(long windowStart, String stationId) {
        return windowStart + "/" + stationId;
    }
}
