package org.abctolls.analytics;

import org.abctolls.domain.CustomerWindowTotal;
import org.abctolls.domain.LowTrafficAlert;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TumblingWindow;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

/**
 * The analytics job's dataflow, from the records it reads to its outputs, independent of
 * where the records come from and where the outputs go: {@code main} wires Kinesis, tests
 * wire in-memory data on a MiniCluster.
 *
 * <pre>
 * records (read, with timestamps and watermarks) ─► split ─────────────────────► rejected (+ reason)
 *   └► keyBy eventId ─► first sighting only
 *        ├► billing lateness router (watermark kept across restores)
 *        │    ├► keyBy customerId ─► 10-min window (late passages re-fire it) ─┬► customer window totals
 *        │    └► closed for billing ─► billed alone, keyed by event id ─────────┘
 *        └► keyBy stationId ─► station lateness (watermark kept across restores)
 *             ├► 30-min window ─► counts ─► all stations vs thresholds ─► low-traffic alerts
 *             └► late for stations (counted)            ▲ ▲ (broadcast)
 * first passage read (split): where evaluation starts ──┘ │
 * reference data polls ───────────────────────────────────┘
 * </pre>
 */
public final class TollTopology {

    /** The job's outputs. */
    public record Outputs(
            DataStream<CustomerWindowTotal> customerWindowTotals,
            DataStream<LowTrafficAlert> lowTrafficAlerts,
            DataStream<InputRecord> rejected,
            DataStream<TollEvent> lateForStations) {}

    private TollTopology() {}

    /**
     * Watermarks after every passage for records read in one order (one shard), at the input's
     * own parallelism, chained to it; idle inputs do not hold them back. Records read from
     * several shards get per-shard watermarks in the Kinesis consumer instead.
     */
    public static DataStream<InputRecord> watermarkedInReadOrder(DataStream<InputRecord> records, JobConfig config) {
        return records.assignTimestampsAndWatermarks(WatermarkStrategy.<InputRecord>forGenerator(
                                context -> new EveryRecordBoundedOutOfOrderness(config.watermarkBound()))
                        .withTimestampAssigner((record, previous) -> record.isPassage()
                                ? record.passage().eventTime().toEpochMilli()
                                : previous)
                        .withIdleness(config.idleTimeout()))
                .setParallelism(records.getParallelism())
                .name("event-time watermarks")
                .uid("watermarks");
    }

    /** 10-minute totals per customer, fired again with the whole new total for each late passage. */
    static SingleOutputStreamOperator<CustomerWindowTotal> customerTotals(
            DataStream<TollEvent> passages, JobConfig config) {
        return passages.keyBy(TollEvent::customerId)
                .process(new CustomerTotals(config.billingLateness()))
                .name("10-minute customer totals")
                // A new uid for each new state layout (the window operator's, then a map per
                // customer): a savepoint of a former layout then fails to restore instead of
                // losing its windows.
                .uid("customer-window-arrays");
    }

    /**
     * @param records the input's records with their event timestamps and watermarks
     * @param referenceData each poll of the stations and thresholds; windows are evaluated
     *     once a usable version has arrived
     */
    public static Outputs build(
            DataStream<InputRecord> records, DataStream<ReferenceDataSnapshot> referenceData, JobConfig config) {
        // No operator of the topology changes or keeps a record it was handed or has emitted, so
        // chained operators may hand on the same instance instead of a deep copy of it.
        records.getExecutionEnvironment().getConfig().enableObjectReuse();
        // Passages are serialized field by field (TollEventSerializer), not as a POJO.
        SingleOutputStreamOperator<TollEvent> passages = records.process(
                        new SplitRejected(), TollEventTypeInfo.INSTANCE)
                .setParallelism(records.getParallelism())
                .name("split rejected records")
                .uid("split-rejected");

        SingleOutputStreamOperator<TollEvent> distinct = passages.keyBy(TollEvent::eventId)
                .transform(
                        "drop re-sent passages",
                        TollEventTypeInfo.INSTANCE,
                        new FirstSightingOnly(config.deduplicationTtl(), config.watermarkBound(), config.idleTimeout()))
                .uid("deduplicate");
        SingleOutputStreamOperator<TollEvent> routed = distinct.transform(
                        "route by billing lateness",
                        TollEventTypeInfo.INSTANCE,
                        new LatenessRouter(config.billingLateness()))
                .uid("lateness-router");

        SingleOutputStreamOperator<CustomerWindowTotal> windowTotals = customerTotals(routed, config);
        DataStream<CustomerWindowTotal> billedAlone = routed.getSideOutput(LatenessRouter.CLOSED_FOR_BILLING)
                .union(windowTotals.getSideOutput(LatenessRouter.CLOSED_FOR_BILLING))
                .map(CustomerWindowTotal::latePassage)
                .name("passages billed alone")
                .uid("billed-alone");

        // Judged after the shuffle by station, where the watermark is the lowest of the deduplicating
        // tasks' (StationLateness says why), and chained to the windows, which see the same one.
        SingleOutputStreamOperator<TollEvent> inTimeForStations = distinct.keyBy(TollEvent::stationId)
                .transform("judge station lateness", TollEventTypeInfo.INSTANCE, new StationLateness())
                .uid("station-lateness");
        // The window's own late side output stays empty while the judge's watermark is never below
        // its own; it is wired so that a broken invariant is counted, never dropped.
        SingleOutputStreamOperator<StationCount> counts = DataStreamUtils.reinterpretAsKeyedStream(
                        inTimeForStations, TollEvent::stationId)
                .window(TumblingEventTimeWindows.of(TumblingWindow.STATION))
                .sideOutputLateData(StationLateness.LATE_FOR_STATIONS)
                .aggregate(new StationCounts.Count(), new StationCounts.Labelled())
                .name("30-minute station counts")
                .uid("station-counts");

        BroadcastStream<ReferenceDataSnapshot> reference = referenceData
                .assignTimestampsAndWatermarks(
                        WatermarkStrategy.forGenerator(context -> new ReleaseAfterFirstSnapshot()))
                .setParallelism(referenceData.getParallelism())
                .name("reference data watermarks")
                .uid("reference-watermarks")
                .broadcast(LowTrafficEvaluator.REFERENCE_DATA);

        DataStream<LowTrafficAlert> alerts = counts.union(passages.getSideOutput(SplitRejected.FIRST_PASSAGE_READ))
                .keyBy(count -> LowTrafficEvaluator.ALL_STATIONS)
                .connect(reference)
                .process(new LowTrafficEvaluator())
                .name("stations below threshold")
                .uid("low-traffic");

        return new Outputs(
                windowTotals.union(billedAlone),
                alerts,
                passages.getSideOutput(SplitRejected.REJECTED),
                inTimeForStations
                        .getSideOutput(StationLateness.LATE_FOR_STATIONS)
                        .union(counts.getSideOutput(StationLateness.LATE_FOR_STATIONS)));
    }
}
