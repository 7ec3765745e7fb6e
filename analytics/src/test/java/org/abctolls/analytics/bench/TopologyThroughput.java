package org.abctolls.analytics.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.abctolls.analytics.InputRecord;
import org.abctolls.analytics.JobConfig;
import org.abctolls.analytics.ReferenceDataSnapshot;
import org.abctolls.analytics.TollTopology;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TollEventParseResult;
import org.abctolls.domain.TollJson;
import org.abctolls.domain.VehicleClass;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Events per second of the whole topology on one core (parallelism 1, MiniCluster), beside a
 * bare job that only parses the same serialized events and counts the valid ones; both read
 * the same generated input, so the ratio is what the topology costs over parsing alone.
 * Run by {@code bench/analytics-throughput.sh}.
 */
public final class TopologyThroughput {

    private static final String STATIONS_CSV = stationsCsv();

    /** Every generated event time is long past: none is ahead of the reading clock. */
    private static final Instant LATEST_ACCEPTABLE = Instant.parse("2030-01-01T00:00:00Z");

    private TopologyThroughput() {}

    public static void main(String[] args) throws Exception {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        // A first, untimed round of each lets the JIT compile the hot paths.
        run(false, events / 10);
        run(true, events / 10);
        double bare = run(false, events);
        double topology = run(true, events);
        System.out.printf(
                "events: %,d serialized toll events (100 stations, 20,000 customers, 10 per simulated second)%n",
                events);
        System.out.printf("bare parse + count:  %,.0f events/s per core%n", bare);
        System.out.printf("whole topology:      %,.0f events/s per core%n", topology);
        System.out.printf("ratio topology/bare: %.2f%n", topology / bare);
    }

    private static double run(boolean wholeTopology, long events) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        DataStream<byte[]> records = env.fromSource(
                new DataGeneratorSource<>(
                        new SerializedEvents(), events, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO),
                WatermarkStrategy.noWatermarks(),
                "serialized events");
        if (wholeTopology) {
            // As the Kinesis consumer reads them: parsed where read, periodic bounded watermarks.
            DataStream<InputRecord> read = records.map(raw -> InputRecord.read(raw, LATEST_ACCEPTABLE))
                    .assignTimestampsAndWatermarks(
                            WatermarkStrategy.<InputRecord>forBoundedOutOfOrderness(JobConfig.DEFAULTS.watermarkBound())
                                    .withTimestampAssigner((record, previous) -> record.isPassage()
                                            ? record.passage().eventTime().toEpochMilli()
                                            : previous));
            TollTopology.Outputs outputs = TollTopology.build(
                    read,
                    env.fromData(ReferenceDataSnapshot.usable(
                            STATIONS_CSV, "stationId,dayOfWeek,slotStart,minVehicles\n", "bench")),
                    JobConfig.DEFAULTS);
            outputs.customerWindowTotals().sinkTo(new DiscardingSink<>());
            outputs.lowTrafficAlerts().sinkTo(new DiscardingSink<>());
            outputs.rejected().sinkTo(new DiscardingSink<>());
            outputs.lateForStations().sinkTo(new DiscardingSink<>());
        } else {
            records.filter(raw -> TollJson.parseTollEvent(raw, LATEST_ACCEPTABLE) instanceof TollEventParseResult.Valid)
                    .map(raw -> 1L)
                    .keyBy(one -> 0)
                    .reduce(Long::sum)
                    .sinkTo(new DiscardingSink<>());
        }
        long started = System.nanoTime();
        env.execute(wholeTopology ? "whole topology" : "bare parse and count");
        return events / ((System.nanoTime() - started) / 1e9);
    }

    /** The n-th of a day-long stream of passages, serialized as the contract's JSON. */
    static final class SerializedEvents implements GeneratorFunction<Long, byte[]> {
        private static final long serialVersionUID = 1L;
        private static final Instant START = Instant.parse("2026-11-16T00:00:00Z");

        @Override
        public byte[] map(Long n) {
            long i = n;
            return TollJson.write(new TollEvent(
                            "bench-" + i,
                            String.format("S%04d", 1 + i % 100),
                            1 + (int) (i % 4),
                            String.format("T%07d", 1 + (i * 7919) % 20_000),
                            String.format("C%07d", 1 + (i * 7919) % 20_000),
                            VehicleClass.CAR,
                            275,
                            START.plusMillis(i * 100)))
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String stationsCsv() {
        StringBuilder csv = new StringBuilder("stationId,name,timeZone\n");
        for (int s = 1; s <= 100; s++) {
            csv.append(String.format("S%04d,Plaza %d,America/Chicago%n", s, s));
        }
        return csv.toString();
    }
}
