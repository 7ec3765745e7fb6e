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
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares every station in the reference data, for every closed station window, with its
 * threshold; a station that counted nothing in a window (a dead sensor) is evaluated too,
 * which a window operator alone cannot do, because a key with no records never fires.
 *
 * <p>All station counts come to one key. A window is evaluated when the watermark passes its
 * end: by then every upstream window operator has emitted its count for it. Evaluation runs,
 * as the contract says, from the window of the first passage the job reads (named by {@link
 * SplitRejected#FIRST_PASSAGE_READ}; with several readers, the earliest of their first
 * passages' windows, all named before any window closes), not from the earliest window a
 * passage was counted in, which an on-time passage read second can make earlier; it runs to
 * the latest window with a counted passage, so a bounded
 * input stops where its traffic stops. Each window is evaluated with the reference data in
 * force at that moment: a new usable version applies from the next window evaluated, without
 * a restart; an unusable one (see {@link S3ReferenceDataPoller}) leaves the last usable
 * version, kept in broadcast state, in force. Until the first usable version arrives, windows
 * wait; they are evaluated as soon as it has.
 *
 * <p>A window once evaluated stays closed, also after a restore: a count that arrives for it
 * later (from a window operator that re-created it after a restore, or a second count for a
 * window already counted) is late, not a reason to judge the window again; its vehicles are
 * counted in {@code vehiclesInLateStationCounts} and otherwise ignored.
 */
final class LowTrafficEvaluator
        extends KeyedBroadcastProcessFunction<Integer, StationCount, ReferenceDataSnapshot, LowTrafficAlert> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LowTrafficEvaluator.class);

    static final int ALL_STATIONS = 0;
    static final MapStateDescriptor<String, ReferenceDataSnapshot> REFERENCE_DATA =
            new MapStateDescriptor<>("reference-data", String.class, ReferenceDataSnapshot.class);
    private static final String IN_FORCE = "current";
    private static final long WINDOW_MILLIS = TumblingWindow.STATION.toMillis();

    private transient String parsedVersion;
    private transient ReferenceDataSnapshot.Parsed parsed;
    private transient MapState<String, Long> counts;
    private transient ValueState<Long> firstPassageWindow;
    private transient ValueState<Long> evaluatedUpTo;
    private transient ValueState<Long> lastCounted;
    private transient Counter lateVehicles;
    private transient boolean waitingLogged;

    @Override
    public void open(OpenContext context) {
        counts = getRuntimeContext().getMapState(new MapStateDescriptor<>("counts", String.class, Long.class));
        firstPassageWindow =
                getRuntimeContext().getState(new ValueStateDescriptor<>("first-passage-window", Long.class));
        evaluatedUpTo = getRuntimeContext().getState(new ValueStateDescriptor<>("evaluated-up-to", Long.class));
        lastCounted = getRuntimeContext().getState(new ValueStateDescriptor<>("last-window", Long.class));
        lateVehicles = getRuntimeContext().getMetricGroup().counter("vehiclesInLateStationCounts");
    }

    /** A usable version replaces the one in force; an unusable one was logged where it was read and changes nothing. */
    @Override
    public void processBroadcastElement(ReferenceDataSnapshot snapshot, Context context, Collector<LowTrafficAlert> out)
            throws Exception {
        BroadcastState<String, ReferenceDataSnapshot> state = context.getBroadcastState(REFERENCE_DATA);
        ReferenceDataSnapshot inForce = state.get(IN_FORCE);
        if (snapshot.isUsable() && (inForce == null || !inForce.version().equals(snapshot.version()))) {
            state.put(IN_FORCE, snapshot);
        }
    }

    @Override
    public void processElement(StationCount count, ReadOnlyContext context, Collector<LowTrafficAlert> out)
            throws Exception {
        Long closedBefore = evaluatedUpTo.value();
        Long first = firstPassageWindow.value();
        if (count.marksFirstPassageRead()) {
            if (closedBefore == null && (first == null || count.windowStart() < first)) {
                firstPassageWindow.update(count.windowStart());
                extendTo(count.windowStart(), context);
            }
            return;
        }
        if (closedBefore != null && count.windowStart() < closedBefore) {
            if (first == null || count.windowStart() >= first) {
                lateVehicles.inc(count.vehicles());
            }
            // Else before the window evaluation started from: counted, never judged.
            return;
        }
        String key = key(count.windowStart(), count.stationId());
        if (counts.contains(key)) {
            lateVehicles.inc(count.vehicles());
            return;
        }
        // Kept even before the first passage's window: another reader's may name an earlier one
        // yet; the first evaluation drops what lies before where it starts.
        counts.put(key, count.vehicles());
        extendTo(count.windowStart(), context);
    }

    /** Evaluation runs at least to {@code windowStart}; its next window is due once the watermark passes its end. */
    private void extendTo(long windowStart, ReadOnlyContext context) throws Exception {
        if (lastCounted.value() == null || windowStart > lastCounted.value()) {
            lastCounted.update(windowStart);
        }
        Long next = nextWindow();
        if (next != null) {
            context.timerService().registerEventTimeTimer(next + WINDOW_MILLIS - 1);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<LowTrafficAlert> out) throws Exception {
        ReferenceDataSnapshot.Parsed reference = referenceData(context.getBroadcastState(REFERENCE_DATA));
        long watermark = context.timerService().currentWatermark();
        if (reference == null) {
            if (!waitingLogged) {
                LOG.warn("no usable reference data yet: station windows wait to be evaluated until it arrives");
                waitingLogged = true;
            }
            if (watermark < Long.MAX_VALUE) {
                context.timerService().registerEventTimeTimer(watermark + 1);
            }
            return;
        }
        Long next = nextWindow();
        if (next == null) {
            return;
        }
        long window = next;
        long last = lastCounted.value();
        while (window <= last && window + WINDOW_MILLIS - 1 <= watermark) {
            evaluate(window, reference, out);
            window += WINDOW_MILLIS;
        }
        forgetWindowsBefore(window);
        evaluatedUpTo.update(window);
        if (window <= last) {
            context.timerService().registerEventTimeTimer(window + WINDOW_MILLIS - 1);
        }
    }

    /** The earliest window not yet evaluated; none before the first passage read is known. */
    private Long nextWindow() throws Exception {
        Long closedBefore = evaluatedUpTo.value();
        return closedBefore != null ? closedBefore : firstPassageWindow.value();
    }

    /** Parsed once per version per task, not once per window; null until a usable version has arrived. */
    private ReferenceDataSnapshot.Parsed referenceData(ReadOnlyBroadcastState<String, ReferenceDataSnapshot> state)
            throws Exception {
        ReferenceDataSnapshot inForce = state.get(IN_FORCE);
        if (inForce == null) {
            return null;
        }
        if (!inForce.version().equals(parsedVersion)) {
            parsed = inForce.parse();
            parsedVersion = inForce.version();
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
    }

    /**
     * Drops the counts of the windows evaluated, of stations not (or no longer) in the reference
     * data included, and of windows before the one evaluation started from.
     */
    private void forgetWindowsBefore(long windowStart) throws Exception {
        List<String> done = new ArrayList<>();
        for (String key : counts.keys()) {
            if (Long.parseLong(key.substring(0, key.indexOf('/'))) < windowStart) {
                done.add(key);
            }
        }
        for (String key : done) {
            counts.remove(key);
        }
    }

    private static String key(long windowStart, String stationId) {
        return windowStart + "/" + stationId;
    }
}
