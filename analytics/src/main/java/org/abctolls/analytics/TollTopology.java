package org.abctolls.analytics;

import org.abctolls.domain.CustomerWindowTotal;
import org.abctolls.domain.LowTrafficAlert;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TumblingWindow;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The analytics job's dataflow, from raw records to its outputs, independent of where the
 * records come from and where the outputs go: {@code main} wires Kinesis, tests wire
 * in-memory data on a MiniCluster.
 *
 * <pre>
 * raw ─► parse ──────────────────────────────────────────────► dead letters (malformed + reason)
 *          └► watermarks ─► keyBy eventId ─► first sighting only
 *               ├► keyBy customerId ─► 10-min window (late passages re-fire it) ─► customer window totals
 *               └► keyBy stationId ─► 30-min window ─► counts ─► all stations vs thresholds ─► low-traffic alerts
 *                                          └► late passages           ▲ (broadcast)
 * reference data snapshots ────────────────────────────────────────────┘
 * </pre>
 */
public final class TollTopology {

    static final OutputTag<TollEvent> LATE_FOR_STATIONS = new OutputTag<>("late-for-stations") {};

    /** The job's outputs. */
    public record Outputs(
            DataStream<CustomerWindowTotal> customerWindowTotals,
            DataStream<LowTrafficAlert> lowTrafficAlerts,
            DataStream<String> deadLetters,
            DataStream<TollEvent> lateForStations) {}

    private TollTopology() {}

    /** Bounded out-of-orderness behind the largest event time seen; idle inputs do not hold it back. */
    static WatermarkStrategy<TollEvent> watermarks(JobConfig config) {
        WatermarkStrategy<TollEvent> bounded = config.watermarkAfterEveryRecord()
                ? WatermarkStrategy.forGenerator(
                        context -> new EveryRecordBoundedOutOfOrderness(config.watermarkBound()))
                : WatermarkStrategy.forBoundedOutOfOrderness(config.watermarkBound());
        return bounded.withTimestampAssigner(
                        (event, previous) -> event.eventTime().toEpochMilli())
                .withIdleness(config.idleTimeout());
    }

    /**
     * @param records raw records, one contract JSON object each, as the input stream holds them
     * @param referenceData the stations and thresholds, a new snapshot whenever they change;
     *     windows are evaluated once the first has arrived
     */
    public static Outputs build(
            DataStream<String> records, DataStream<ReferenceDataSnapshot> referenceData, JobConfig config) {
        // Parsing and watermarks run at the input's own parallelism, chained to it, so that each
        // watermark generator sees one input split (one shard) in its order.
        SingleOutputStreamOperator<TollEvent> parsed = records.process(new ParseTollEvents())
                .setParallelism(records.getParallelism())
                .name("parse and validate")
                .uid("parse");

        DataStream<TollEvent> passages = parsed.assignTimestampsAndWatermarks(watermarks(config))
                .setParallelism(records.getParallelism())
                .name("event-time watermarks")
                .uid("watermarks")
                .keyBy(TollEvent::eventId)
                .process(new FirstSightingOnly(config.deduplicationTtl()))
                .name("drop re-sent passages")
                .uid("deduplicate");

        DataStream<CustomerWindowTotal> totals = passages.keyBy(TollEvent::customerId)
                .window(TumblingEventTimeWindows.of(TumblingWindow.BILLING))
                .allowedLateness(config.billingLateness())
                .aggregate(new CustomerTotals.SumAndCount(), new CustomerTotals.WithRevision())
                .name("10-minute customer totals")
                .uid("customer-totals");

        SingleOutputStreamOperator<StationCount> counts = passages.keyBy(TollEvent::stationId)
                .window(TumblingEventTimeWindows.of(TumblingWindow.STATION))
                .sideOutputLateData(LATE_FOR_STATIONS)
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

        DataStream<LowTrafficAlert> alerts = counts.keyBy(count -> LowTrafficEvaluator.ALL_STATIONS)
                .connect(reference)
                .process(new LowTrafficEvaluator())
                .name("stations below threshold")
                .uid("low-traffic");

        return new Outputs(
                totals,
                alerts,
                parsed.getSideOutput(ParseTollEvents.DEAD_LETTERS),
                counts.getSideOutput(LATE_FOR_STATIONS));
    }
}
