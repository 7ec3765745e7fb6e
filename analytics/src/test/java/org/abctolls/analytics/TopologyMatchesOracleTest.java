package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.abctolls.domain.ReferenceData;
import org.abctolls.domain.StationThresholds;
import org.abctolls.domain.TollEventRules;
import org.abctolls.domain.TumblingWindow;
import org.abctolls.sim.Emission;
import org.abctolls.sim.Generator;
import org.abctolls.sim.Oracle;
import org.abctolls.sim.Simulation;
import org.abctolls.sim.SimulationOptions;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The topology against the simulator's oracle on generated runs that the hand-written cases do
 * not reach: a billing month and a year ending mid-run, daylight saving time starting and
 * ending, zones whose offset is not a whole hour or whose DST shift is half an hour, several
 * days, and other seeds, each with every scenario and the hostile records.
 */
class TopologyMatchesOracleTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final Duration WATERMARK_BOUND = TumblingWindow.DEFAULT_WATERMARK_BOUND;
    private static final SimulationOptions.Scenarios EVERY_SCENARIO = SimulationOptions.Scenarios.ALL.withHostile(true);
    private static final List<ZoneId> ODD_ZONES =
            List.of(ZoneId.of("Asia/Kathmandu"), ZoneId.of("Australia/Lord_Howe"), ZoneId.of("Asia/Kolkata"));

    static Stream<Arguments> runs() {
        return Stream.of(
                Arguments.of(
                        "October into November, across the US fall-back",
                        run(7, "2026-10-31T12:00:00Z", Duration.ofHours(36), List.of())),
                Arguments.of(
                        "the last evening of a year", run(11, "2026-12-31T15:00:00Z", Duration.ofHours(18), ODD_ZONES)),
                Arguments.of(
                        "the US spring-forward, in zones of odd offsets",
                        run(13, "2027-03-13T18:00:00Z", Duration.ofHours(30), ODD_ZONES)),
                Arguments.of(
                        "Lord Howe's half-hour fall-back",
                        run(17, "2027-04-03T06:00:00Z", Duration.ofHours(24), ODD_ZONES)),
                Arguments.of("three days", run(19, "2026-11-20T00:00:00Z", Duration.ofDays(3), List.of())),
                Arguments.of("another seed", run(23, "2026-11-16T00:00:00Z", Duration.ofDays(1), List.of())));
    }

    private static SimulationOptions run(long seed, String start, Duration span, List<ZoneId> extraZones) {
        return SimulationOptions.defaults()
                .withSeed(seed)
                .withTraffic(new SimulationOptions.Traffic(Instant.parse(start), span, 8, 300, 40, extraZones, 0))
                .withScenarios(EVERY_SCENARIO)
                .withWatermarkBound(WATERMARK_BOUND);
    }

    /** Read in one order by one task each, as the oracle reads: every output exactly the oracle's. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void atParallelismOneTheTopologyComputesExactlyWhatTheOracleDoes(String name, SimulationOptions options)
            throws Exception {
        Run run = Run.of(options, 1);

        assertThat(run.results.deadLetters()).hasSize((int) run.oracle.malformed());
        assertThat(run.results.late()).containsExactlyElementsOf(run.oracle.lateForStationPassages());
        assertThat(run.results.alerts()).containsExactlyInAnyOrderElementsOf(run.oracle.lowTrafficAlerts());
        assertThat(run.ledger.months()).isEqualTo(run.expectedMonthTotals());
        assertThat(run.ledger.alerts()).containsExactlyInAnyOrderElementsOf(run.oracle.billingAlerts());
    }

    /**
     * Two tasks after the reading one: each deduplicating task knows its share of the passages,
     * so a station window may close later than the oracle closes it, never earlier. Every toll is
     * still billed once; no passage is late that the oracle counts, so a station's count is never
     * below the oracle's, and every low-traffic alert is one the oracle makes too (with as many
     * vehicles or more). Re-sends stamped later, as in the hostile records, are where judging
     * against a watermark a re-send had raised made passages late.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void atParallelismTwoNoPassageIsLateThatTheOracleCountsAndEveryTollIsBilledOnce(
            String name, SimulationOptions options) throws Exception {
        Run run = Run.of(options, 2);

        assertThat(run.results.deadLetters()).hasSize((int) run.oracle.malformed());
        assertThat(run.results.late()).isSubsetOf(run.oracle.lateForStationPassages());
        Map<String, Long> oracleVehicles = new HashMap<>();
        run.oracle
                .lowTrafficAlerts()
                .forEach(alert -> oracleVehicles.put(alert.stationId() + " " + alert.windowStart(), alert.vehicles()));
        assertThat(run.results.alerts())
                .allSatisfy(alert -> assertThat(oracleVehicles.get(alert.stationId() + " " + alert.windowStart()))
                        .as("the oracle's count for %s", alert)
                        .isNotNull()
                        .isLessThanOrEqualTo(alert.vehicles()));
        assertThat(run.ledger.months()).isEqualTo(run.expectedMonthTotals());
    }

    /**
     * Restored once from a checkpoint taken halfway through the run, at parallelism 1: the outputs
     * (which the collecting sink keeps exactly once across the restore) are still the oracle's.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void restoredFromACheckpointHalfwayTheTopologyStillComputesExactlyWhatTheOracleDoes(
            String name, SimulationOptions options) throws Exception {
        assertRestoredHalfwayTheOutputsAreTheOracles(Run.of(options, 1, true, "hashmap"));
    }

    /** The same on RocksDB, the state backend Managed Flink runs: state written to and read back from its bytes. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void onRocksDbRestoredFromACheckpointHalfwayTheTopologyStillComputesExactlyWhatTheOracleDoes(
            String name, SimulationOptions options) throws Exception {
        assertRestoredHalfwayTheOutputsAreTheOracles(Run.of(options, 1, true, "rocksdb"));
    }

    private static void assertRestoredHalfwayTheOutputsAreTheOracles(Run run) {
        assertThat(FailOnceHalfway.failed()).isTrue();
        assertThat(run.results.deadLetters()).hasSize((int) run.oracle.malformed());
        assertThat(run.results.late()).containsExactlyElementsOf(run.oracle.lateForStationPassages());
        assertThat(run.results.alerts()).containsExactlyInAnyOrderElementsOf(run.oracle.lowTrafficAlerts());
        assertThat(run.ledger.months()).isEqualTo(run.expectedMonthTotals());
        assertThat(run.ledger.alerts()).containsExactlyInAnyOrderElementsOf(run.oracle.billingAlerts());
    }

    /** Throws once, on the first record after a checkpoint completed past half of the records, to make the job restore from it. */
    static final class FailOnceHalfway implements MapFunction<byte[], byte[]>, CheckpointListener {
        private static final long serialVersionUID = 1L;
        private static final AtomicLong READ = new AtomicLong();
        private static final AtomicBoolean CHECKPOINTED_HALFWAY = new AtomicBoolean();
        private static final AtomicBoolean FAILED = new AtomicBoolean();

        private final long half;

        FailOnceHalfway(long records) {
            this.half = records / 2;
        }

        static void reset() {
            READ.set(0);
            CHECKPOINTED_HALFWAY.set(false);
            FAILED.set(false);
        }

        static boolean failed() {
            return FAILED.get();
        }

        @Override
        public byte[] map(byte[] record) {
            READ.incrementAndGet();
            if (CHECKPOINTED_HALFWAY.get() && !FAILED.getAndSet(true)) {
                throw new IllegalStateException("injected failure after a checkpoint halfway through the run");
            }
            return record;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            if (READ.get() >= half) {
                CHECKPOINTED_HALFWAY.set(true);
            }
        }
    }

    /** A generated run, what the oracle makes of it, and what the topology made of it at a parallelism. */
    private record Run(Oracle.Result oracle, TollTopologyTest.Results results, InMemoryLedger ledger) {

        static Run of(SimulationOptions options, int parallelism) throws Exception {
            return of(options, parallelism, false, "hashmap");
        }

        static Run of(SimulationOptions options, int parallelism, boolean failOnceHalfway, String stateBackend)
                throws Exception {
            Simulation simulation = Generator.generate(options);
            // Read as a clock just after the run would read it, so that every passage of the run is
            // in its past and the hostile one stamped 2099 is not.
            Instant latestAcceptable = TollEventRules.latestAcceptableEventTime(
                    options.traffic().end(), TollEventRules.DEFAULT_FUTURE_TOLERANCE);
            Oracle.Result oracle = Oracle.compute(
                    simulation.emissions(),
                    simulation.stations(),
                    new StationThresholds(simulation.thresholds()),
                    simulation.customers(),
                    WATERMARK_BOUND,
                    latestAcceptable);

            List<byte[]> sent = simulation.emissions().stream()
                    .filter(Emission::fitsAKinesisRecord)
                    .map(Emission::data)
                    .toList();
            StreamExecutionEnvironment env;
            DataStream<byte[]> raw;
            if (failOnceHalfway) {
                env = TollTopologyTest.restartingAfterAFailure(parallelism, 100);
                FailOnceHalfway.reset();
                // About three seconds for any run: checkpoints every 100 ms, many past half of it.
                raw = TollTopologyTest.slowlyAsBytes(env, sent, Math.max(100, sent.size() / 3))
                        .map(new FailOnceHalfway(sent.size()))
                        .setParallelism(1);
            } else {
                env = StreamExecutionEnvironment.getExecutionEnvironment();
                env.setParallelism(parallelism);
                raw = env.fromData(sent, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
            }
            Configuration backend = new Configuration();
            backend.set(StateBackendOptions.STATE_BACKEND, stateBackend);
            env.configure(backend, TopologyMatchesOracleTest.class.getClassLoader());
            // One reader, as one shard is read: the order the oracle assumes.
            DataStream<InputRecord> read = TollTopology.watermarkedInReadOrder(
                    raw.map(bytes -> InputRecord.read(bytes, latestAcceptable)).setParallelism(1),
                    JobConfig.DEFAULTS.withWatermarkAfterEveryRecord(true));
            StringWriter stations = new StringWriter();
            ReferenceData.writeStations(stations, simulation.stations());
            StringWriter thresholds = new StringWriter();
            ReferenceData.writeStationThresholds(thresholds, simulation.thresholds());
            TollTopologyTest.Results results =
                    TollTopologyTest.run(read, stations.toString(), thresholds.toString(), latestAcceptable);
            InMemoryLedger ledger = new InMemoryLedger(simulation.customers());
            results.totals().forEach(ledger::apply);
            return new Run(oracle, results, ledger);
        }

        Map<String, Long> expectedMonthTotals() {
            Map<String, Long> expected = new TreeMap<>();
            oracle.monthlyTotals()
                    .forEach(total -> expected.put(total.customerId() + " " + total.month(), total.totalCents()));
            return expected;
        }
    }
}
