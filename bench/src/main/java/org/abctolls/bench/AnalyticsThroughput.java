package org.abctolls.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.abctolls.analytics.InputRecord;
import org.abctolls.analytics.JobConfig;
import org.abctolls.analytics.ReferenceDataSnapshot;
import org.abctolls.analytics.TollTopology;
import org.abctolls.domain.TollEventParseResult;
import org.abctolls.domain.TollJson;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Events per second at parallelism 1 on Flink's MiniCluster (each job's tasks and source
 * threads share the machine's cores) of three jobs over the same file of serialized toll
 * events, timed by the job's own running time: the whole analytics topology; a bare job that only
 * parses each record with the contract's parser and counts the valid ones; and the Flink SQL
 * peer ({@link FlinkSqlPeer}). The ratios are what the topology costs over parsing alone, and
 * how it compares with the SQL a migrating user would write. Run by
 * {@code bench/analytics-throughput.sh}.
 */
public final class AnalyticsThroughput {

    /** Every generated event time is long past: none is ahead of the reading clock. */
    private static final Instant LATEST_ACCEPTABLE = Instant.parse("2030-01-01T00:00:00Z");

    enum Job {
        BARE("bare parse + count"),
        TOPOLOGY("whole topology"),
        SQL("Flink SQL peer");

        final String label;

        Job(String label) {
            this.label = label;
        }
    }

    /** Flink's state backends: the heap's, and RocksDB, the one Managed Flink runs every application on. */
    enum StateBackend {
        HASHMAP,
        ROCKSDB;

        Configuration configuration() {
            Configuration configuration = new Configuration();
            configuration.set(StateBackendOptions.STATE_BACKEND, name().toLowerCase(Locale.ROOT));
            return configuration;
        }
    }

    private AnalyticsThroughput() {}

    public static void main(String[] args) throws Exception {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        // Profiling one job alone: bare, topology or sql (default: all three).
        Set<Job> jobs = args.length > 2
                ? Arrays.stream(args[2].split(","))
                        .map(name -> Job.valueOf(name.trim().toUpperCase(Locale.ROOT)))
                        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Job.class)))
                : EnumSet.allOf(Job.class);
        StateBackend backend =
                args.length > 3 ? StateBackend.valueOf(args[3].trim().toUpperCase(Locale.ROOT)) : StateBackend.HASHMAP;
        if (rounds < 1 || events < 1) {
            throw new IllegalArgumentException("events and rounds must be positive");
        }
        Path warmUp = BenchEvents.write(Math.max(1, events / 10));
        Path input = BenchEvents.write(events);
        // A first, untimed run of each lets the JIT compile its hot paths.
        for (Job job : jobs) {
            run(job, warmUp, backend);
        }
        double[] best = new double[Job.values().length];
        List<Job> order = new ArrayList<>(jobs);
        // Each round starts with another job, so that none always runs after the garbage of
        // the same other one.
        for (int round = 0; round < rounds; round++) {
            for (Job job : order) {
                System.gc();
                best[job.ordinal()] = Math.max(best[job.ordinal()], events / run(job, input, backend));
            }
            Collections.rotate(order, -1);
        }
        System.out.printf(
                "input: %,d serialized toll events (%d stations, %,d customers, %d ms apart), best of %d rounds,"
                        + " state backend %s%n",
                events,
                BenchEvents.STATIONS,
                BenchEvents.CUSTOMERS,
                BenchEvents.SPACING_MILLIS,
                rounds,
                backend.name().toLowerCase(Locale.ROOT));
        for (Job job : jobs) {
            System.out.printf("%-20s %,10.0f events/s%n", job.label + ":", best[job.ordinal()]);
        }
        if (jobs.size() < Job.values().length) {
            return;
        }
        double bare = best[Job.BARE.ordinal()];
        double topology = best[Job.TOPOLOGY.ordinal()];
        double sql = best[Job.SQL.ordinal()];
        System.out.printf("ratio topology/bare: %.2f   (goal >= 0.70)%n", topology / bare);
        System.out.printf("ratio topology/SQL:  %.2f   (goal >= 1.00)%n", topology / sql);
    }

    /** Runs the job over the file; returns the seconds it ran, its start and planning left out. */
    static double run(Job job, Path input, StateBackend backend) throws Exception {
        if (job == Job.SQL) {
            return FlinkSqlPeer.run(input, JobConfig.DEFAULTS.watermarkBound(), backend.configuration())
                            .toMillis()
                    / 1e3;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(backend.configuration());
        env.setParallelism(1);
        // As the topology sets it (TollTopology.build), so that the bare job is not slowed by copies.
        env.getConfig().enableObjectReuse();
        DataStream<byte[]> records = env.fromSource(
                        FileSource.forRecordStreamFormat(
                                        new TextLineInputFormat(), new org.apache.flink.core.fs.Path(input.toUri()))
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "serialized events")
                .map(line -> line.getBytes(StandardCharsets.UTF_8));
        if (job == Job.TOPOLOGY) {
            wholeTopology(env, records);
        } else {
            records.filter(raw -> TollJson.parseTollEvent(raw, LATEST_ACCEPTABLE) instanceof TollEventParseResult.Valid)
                    .map(raw -> 1L)
                    .keyBy(one -> 0)
                    .reduce(Long::sum)
                    .sinkTo(new DiscardingSink<>());
        }
        return env.execute(job.label).getNetRuntime() / 1e3;
    }

    /** As the job reads its Kinesis stream: parsed where read, periodic bounded watermarks. */
    private static void wholeTopology(StreamExecutionEnvironment env, DataStream<byte[]> records) {
        DataStream<InputRecord> read = records.map(raw -> InputRecord.read(raw, LATEST_ACCEPTABLE))
                .assignTimestampsAndWatermarks(
                        WatermarkStrategy.<InputRecord>forBoundedOutOfOrderness(JobConfig.DEFAULTS.watermarkBound())
                                .withTimestampAssigner((record, previous) -> record.isPassage()
                                        ? record.passage().eventTime().toEpochMilli()
                                        : previous));
        TollTopology.Outputs outputs = TollTopology.build(
                read,
                env.fromData(ReferenceDataSnapshot.usable(
                        BenchEvents.stationsCsv(), "stationId,dayOfWeek,slotStart,minVehicles\n", "bench")),
                JobConfig.DEFAULTS);
        outputs.customerWindowTotals().sinkTo(new DiscardingSink<>());
        outputs.lowTrafficAlerts().sinkTo(new DiscardingSink<>());
        outputs.rejected().sinkTo(new DiscardingSink<>());
        outputs.lateForStations().sinkTo(new DiscardingSink<>());
    }
}
