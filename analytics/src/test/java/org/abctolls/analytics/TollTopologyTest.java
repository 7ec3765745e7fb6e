package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.abctolls.domain.CustomerWindowTotal;
import org.abctolls.domain.LowTrafficAlert;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TollEventParseResult;
import org.abctolls.domain.TollJson;
import org.abctolls.domain.VehicleClass;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole topology on a Flink MiniCluster, with in-memory input in arrival order. */
class TollTopologyTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final String UTC_STATIONS =
            """
            stationId,name,timeZone
            S0001,Riverside Plaza,UTC
            """;

    private static final String NO_THRESHOLDS = "stationId,dayOfWeek,slotStart,minVehicles\n";

    /** When these tests read their records: after every event time they use, as a real clock would be. */
    static final Instant LATEST_ACCEPTABLE = Instant.parse("2026-11-26T12:05:00Z");

    record Results(
            List<CustomerWindowTotal> totals,
            List<LowTrafficAlert> alerts,
            List<String> deadLetters,
            List<TollEvent> late) {}

    private static String passage(String id, String station, String customer, int cents, String instant) {
        return TollJson.write(new TollEvent(
                id,
                station,
                1,
                "T" + customer.substring(1),
                customer,
                VehicleClass.CAR,
                cents,
                Instant.parse(instant)));
    }

    private static CustomerWindowTotal total(
            String customer, String start, String end, long cents, long passages, int revision) {
        return new CustomerWindowTotal(customer, Instant.parse(start), Instant.parse(end), cents, passages, revision);
    }

    private static LowTrafficAlert alert(String station, String start, String end, long vehicles, long min) {
        return new LowTrafficAlert(station, Instant.parse(start), Instant.parse(end), vehicles, min);
    }

    static Results run(List<String> records, String stationsCsv, String thresholdsCsv) throws Exception {
        return run(records, stationsCsv, thresholdsCsv, 2);
    }

    static Results run(List<String> records, String stationsCsv, String thresholdsCsv, int parallelism)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        List<byte[]> raw = records.stream()
                .map(record -> record.getBytes(StandardCharsets.UTF_8))
                .toList();
        return runBytes(env.fromData(raw).setParallelism(1), stationsCsv, thresholdsCsv);
    }

    static Results runBytes(DataStream<byte[]> input, String stationsCsv, String thresholdsCsv) throws Exception {
        return run(read(input), stationsCsv, thresholdsCsv);
    }

    /** An environment that checkpoints every {@code checkpointMillis} and restarts a failed job from its latest checkpoint. */
    static StreamExecutionEnvironment restartingAfterAFailure(int parallelism, long checkpointMillis) {
        Configuration restartOnFailure = new Configuration();
        restartOnFailure.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restartOnFailure.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        restartOnFailure.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(10));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(restartOnFailure);
        env.setParallelism(parallelism);
        env.enableCheckpointing(checkpointMillis);
        return env;
    }

    private static DataStream<byte[]> slowly(
            StreamExecutionEnvironment env, List<String> records, int recordsPerSecond) {
        return slowlyAsBytes(
                env,
                records.stream()
                        .map(record -> record.getBytes(StandardCharsets.UTF_8))
                        .toList(),
                recordsPerSecond);
    }

    /** The records as a replayable source, slow enough that checkpoints complete while they still flow. */
    static DataStream<byte[]> slowlyAsBytes(StreamExecutionEnvironment env, List<byte[]> raw, int recordsPerSecond) {
        DataGeneratorSource<byte[]> source = new DataGeneratorSource<>(
                index -> raw.get(index.intValue()),
                raw.size(),
                RateLimiterStrategy.perSecond(recordsPerSecond),
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "records")
                .setParallelism(1);
    }

    /** What the Kinesis consumer does with each record: parse it where it is read, against the reading clock. */
    static DataStream<InputRecord> read(DataStream<byte[]> raw) {
        JobConfig config = JobConfig.DEFAULTS.withWatermarkAfterEveryRecord(true);
        return TollTopology.watermarkedInReadOrder(
                raw.map(bytes -> InputRecord.read(bytes, LATEST_ACCEPTABLE)).setParallelism(raw.getParallelism()),
                config);
    }

    static Results run(DataStream<InputRecord> input, String stationsCsv, String thresholdsCsv) throws Exception {
        return run(input, stationsCsv, thresholdsCsv, LATEST_ACCEPTABLE);
    }

    /** @param latestAcceptable the latest event time the input was read with */
    // The collecting iterator is closed with try-with-resources although its close() may be interrupted.
    @SuppressWarnings("try")
    static Results run(
            DataStream<InputRecord> input, String stationsCsv, String thresholdsCsv, Instant latestAcceptable)
            throws Exception {
        TollTopology.Outputs outputs = TollTopology.build(
                input,
                input.getExecutionEnvironment()
                        .fromData(ReferenceDataSnapshot.usable(stationsCsv, thresholdsCsv, "v1")),
                JobConfig.DEFAULTS.withWatermarkAfterEveryRecord(true));
        DataStream<String> tagged = outputs.customerWindowTotals()
                .map(total -> "T" + TollJson.write(total))
                .union(
                        outputs.lowTrafficAlerts().map(alert -> "A" + TollJson.write(alert)),
                        outputs.rejected()
                                .map(rejected ->
                                        "D" + new String(AnalyticsJob.deadLetter(rejected), StandardCharsets.US_ASCII)),
                        outputs.lateForStations().map(late -> "L" + TollJson.write(late)));
        Results results = new Results(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<String> lines = new ArrayList<>();
        // Every output, however many: the job ends when its input does.
        try (CloseableIterator<String> collected = tagged.executeAndCollect("toll topology test")) {
            collected.forEachRemaining(lines::add);
        }
        for (String line : lines) {
            String json = line.substring(1);
            switch (line.charAt(0)) {
                case 'T' -> results.totals().add(TollJson.readCustomerWindowTotal(json));
                case 'A' -> results.alerts().add(TollJson.readLowTrafficAlert(json));
                case 'D' -> results.deadLetters().add(json);
                default -> results.late()
                        .add(((TollEventParseResult.Valid) TollJson.parseTollEvent(json, latestAcceptable)).event());
            }
        }
        return results;
    }

    @Test
    void sumsEachCustomersTollsPerTenMinuteWindowAndAnEventAtTheEndBelongsToTheNextWindow() throws Exception {
        Results results = run(
                List.of(
                        passage("e1", "S0001", "C0000001", 275, "2026-11-18T14:01:00Z"),
                        passage("e2", "S0001", "C0000002", 500, "2026-11-18T14:05:00Z"),
                        passage("e3", "S0001", "C0000001", 275, "2026-11-18T14:09:59.999Z"),
                        passage("e4", "S0001", "C0000001", 100, "2026-11-18T14:10:00Z")),
                UTC_STATIONS,
                NO_THRESHOLDS);

        assertThat(results.totals())
                .containsExactlyInAnyOrder(
                        total("C0000001", "2026-11-18T14:00:00Z", "2026-11-18T14:10:00Z", 550, 2, 0),
                        total("C0000002", "2026-11-18T14:00:00Z", "2026-11-18T14:10:00Z", 500, 1, 0),
                        total("C0000001", "2026-11-18T14:10:00Z", "2026-11-18T14:20:00Z", 100, 1, 0));
        assertThat(results.deadLetters()).isEmpty();
        assertThat(results.late()).isEmpty();
    }

    @Test
    void aReSentPassageIsCountedAndBilledOnce() throws Exception {
        String passage = passage("e1", "S0001", "C0000001", 275, "2026-11-18T14:01:00Z");
        String thresholds = NO_THRESHOLDS + "S0001,WEDNESDAY,14:00,2\n";

        Results results = run(List.of(passage, passage, passage), UTC_STATIONS, thresholds);

        assertThat(results.totals())
                .containsExactly(total("C0000001", "2026-11-18T14:00:00Z", "2026-11-18T14:10:00Z", 275, 1, 0));
        assertThat(results.alerts())
                .containsExactly(alert("S0001", "2026-11-18T14:00:00Z", "2026-11-18T14:30:00Z", 1, 2));
    }

    @Test
    void aPassageOutOfOrderWithinTheBoundStillCountsInItsWindow() throws Exception {
        Results results = run(
                List.of(
                        passage("e1", "S0001", "C0000001", 100, "2026-11-18T14:09:30Z"),
                        passage("e2", "S0001", "C0000001", 100, "2026-11-18T14:10:10Z"),
                        passage("e3", "S0001", "C0000001", 100, "2026-11-18T14:09:50Z")),
                UTC_STATIONS,
                NO_THRESHOLDS);

        assertThat(results.totals())
                .containsExactlyInAnyOrder(
                        total("C0000001", "2026-11-18T14:00:00Z", "2026-11-18T14:10:00Z", 200, 2, 0),
                        total("C0000001", "2026-11-18T14:10:00Z", "2026-11-18T14:20:00Z", 100, 1, 0));
        assertThat(results.late()).isEmpty();
    }

    /**
     * At parallelism 1, because only there is "late" a matter of record order alone: with
     * several channels a record may overtake the watermark that travels on another channel.
     */
    @Test
    void aLatePassageIsBilledThroughANewRevisionButDoesNotChangeAClosedStationWindow() throws Exception {
        String latePassage = passage("late", "S0001", "C0000001", 300, "2026-11-18T14:05:00Z");
        Results results = run(
                List.of(
                        passage("e1", "S0001", "C0000001", 275, "2026-11-18T14:01:00Z"),
                        // Pushes the watermark to 14:59: both windows of 14:05 are closed.
                        passage("e2", "S0001", "C0000002", 100, "2026-11-18T15:00:00Z"),
                        latePassage),
                UTC_STATIONS,
                NO_THRESHOLDS + "S0001,WEDNESDAY,14:00,2\n",
                1);

        assertThat(results.totals())
                .containsExactlyInAnyOrder(
                        total("C0000001", "2026-11-18T14:00:00Z", "2026-11-18T14:10:00Z", 275, 1, 0),
                        total("C0000001", "2026-11-18T14:00:00Z", "2026-11-18T14:10:00Z", 575, 2, 1),
                        total("C0000002", "2026-11-18T15:00:00Z", "2026-11-18T15:10:00Z", 100, 1, 0));
        assertThat(results.late()).extracting(TollEvent::eventId).containsExactly("late");
        assertThat(results.alerts())
                .containsExactly(alert("S0001", "2026-11-18T14:00:00Z", "2026-11-18T14:30:00Z", 1, 2));
    }

    /**
     * The contract evaluates from the window of the first passage the job reads: a passage read
     * second, on time but in the half hour before, is counted there and billed, and that
     * earlier window is not judged (it would report both stations low).
     */
    @Test
    void lowTrafficEvaluationStartsAtTheWindowOfTheFirstPassageReadNotAtAnEarlierOneCountedAfterIt() throws Exception {
        String twoStations = UTC_STATIONS + "S0002,Lakeshore Gate,UTC\n";
        String thresholds = NO_THRESHOLDS
                + "S0001,MONDAY,09:30,5\nS0002,MONDAY,09:30,5\nS0001,MONDAY,10:00,5\nS0002,MONDAY,10:00,5\n";
        Results results = run(
                List.of(
                        passage("first", "S0001", "C0000001", 100, "2026-11-16T10:00:20Z"),
                        passage("second", "S0001", "C0000002", 100, "2026-11-16T09:59:40Z")),
                twoStations,
                thresholds,
                1);

        assertThat(results.alerts())
                .containsExactlyInAnyOrder(
                        alert("S0001", "2026-11-16T10:00:00Z", "2026-11-16T10:30:00Z", 1, 5),
                        alert("S0002", "2026-11-16T10:00:00Z", "2026-11-16T10:30:00Z", 0, 5));
        assertThat(results.late()).isEmpty();
        assertThat(results.totals())
                .contains(total("C0000002", "2026-11-16T09:50:00Z", "2026-11-16T10:00:00Z", 100, 1, 0));
    }

    /**
     * The same eventId again, stamped two hours later, is not a passage: it does not move the
     * watermark, so the passage after it is on time for its windows, as the oracle counts it;
     * the passages do: 10:40 closes the 10:00 station window, and 10:20 after it is late.
     */
    @Test
    void aReSendStampedLaterThanItsFirstSightingMakesNoPassageAfterItLate() throws Exception {
        String thresholds = NO_THRESHOLDS + "S0001,MONDAY,10:00,2\n";
        Results results = run(
                List.of(
                        passage("first", "S0001", "C0000001", 100, "2026-11-16T10:00:00Z"),
                        passage("first", "S0001", "C0000001", 100, "2026-11-16T12:00:00Z"),
                        passage("second", "S0001", "C0000002", 100, "2026-11-16T10:05:00Z"),
                        passage("third", "S0001", "C0000003", 100, "2026-11-16T10:40:00Z"),
                        passage("fourth", "S0001", "C0000004", 100, "2026-11-16T10:20:00Z")),
                UTC_STATIONS,
                thresholds,
                1);

        assertThat(results.alerts()).isEmpty();
        assertThat(results.late()).extracting(TollEvent::eventId).containsExactly("fourth");
        assertThat(results.totals())
                .containsExactlyInAnyOrder(
                        total("C0000001", "2026-11-16T10:00:00Z", "2026-11-16T10:10:00Z", 100, 1, 0),
                        total("C0000002", "2026-11-16T10:00:00Z", "2026-11-16T10:10:00Z", 100, 1, 0),
                        total("C0000003", "2026-11-16T10:40:00Z", "2026-11-16T10:50:00Z", 100, 1, 0),
                        total("C0000004", "2026-11-16T10:20:00Z", "2026-11-16T10:30:00Z", 100, 1, 0));
    }

    /**
     * With two deduplicating tasks, the re-send raises the input's watermark for both, and only
     * one of them drops it. A passage of the other task is still on time for its station window:
     * each task hands on the watermark of its own passages, never the raised one.
     */
    @Test
    void aReSendStampedLaterMakesNoPassageLateAlsoInAnotherDeduplicatingTask() throws Exception {
        String reSent = eventIdOfTask("re-sent", 0);
        String other = eventIdOfTask("other", 1);
        String thresholds = NO_THRESHOLDS + "S0001,MONDAY,10:00,2\n";
        Results results = run(
                List.of(
                        passage(reSent, "S0001", "C0000001", 100, "2026-11-16T10:00:00Z"),
                        passage(reSent, "S0001", "C0000001", 100, "2026-11-16T12:00:00Z"),
                        passage(other, "S0001", "C0000002", 100, "2026-11-16T10:05:00Z")),
                UTC_STATIONS,
                thresholds,
                2);

        assertThat(results.late()).isEmpty();
        assertThat(results.alerts()).isEmpty();
    }

    /** An event id that Flink's key groups give to the deduplicating task {@code task} of two. */
    private static String eventIdOfTask(String prefix, int task) {
        int maxParallelism = KeyGroupRangeAssignment.computeDefaultMaxParallelism(2);
        for (int suffix = 0; ; suffix++) {
            String id = prefix + "-" + suffix;
            if (KeyGroupRangeAssignment.assignKeyToParallelOperator(id, maxParallelism, 2) == task) {
                return id;
            }
        }
    }

    @Test
    void evaluatesEveryStationInItsOwnZoneAcrossTheDstFallBackIncludingSilentOnes() throws Exception {
        String stations =
                """
                stationId,name,timeZone
                S0001,Riverside Plaza,America/Chicago
                S0002,Bandra Gate,Asia/Kolkata
                S0003,Dead Sensor Road,America/Chicago
                """;
        // Sunday 2026-11-01: Chicago's 01:00 and 01:30 happen twice (06:00Z-07:00Z in CDT, 07:00Z-08:00Z in CST).
        String thresholds =
                """
                stationId,dayOfWeek,slotStart,minVehicles
                S0001,SUNDAY,01:00,5
                S0001,SUNDAY,01:30,5
                S0002,SUNDAY,11:30,3
                S0003,SUNDAY,01:00,1
                """;

        Results results = run(
                List.of(
                        passage("a1", "S0001", "C0000001", 100, "2026-11-01T06:05:00Z"),
                        passage("k1", "S0002", "C0000002", 100, "2026-11-01T06:10:00Z"),
                        passage("a2", "S0001", "C0000001", 100, "2026-11-01T06:35:00Z"),
                        passage("a3", "S0001", "C0000001", 100, "2026-11-01T07:05:00Z"),
                        passage("a4", "S0001", "C0000001", 100, "2026-11-01T07:35:00Z")),
                stations,
                thresholds);

        assertThat(results.alerts())
                .containsExactlyInAnyOrder(
                        alert("S0001", "2026-11-01T06:00:00Z", "2026-11-01T06:30:00Z", 1, 5),
                        alert("S0001", "2026-11-01T06:30:00Z", "2026-11-01T07:00:00Z", 1, 5),
                        alert("S0001", "2026-11-01T07:00:00Z", "2026-11-01T07:30:00Z", 1, 5),
                        alert("S0001", "2026-11-01T07:30:00Z", "2026-11-01T08:00:00Z", 1, 5),
                        // 11:30 in Kolkata (+05:30); its 12:00 slot has no threshold, so no alert.
                        alert("S0002", "2026-11-01T06:00:00Z", "2026-11-01T06:30:00Z", 1, 3),
                        // The silent station, in both of its 01:00 slots.
                        alert("S0003", "2026-11-01T06:00:00Z", "2026-11-01T06:30:00Z", 0, 1),
                        alert("S0003", "2026-11-01T07:00:00Z", "2026-11-01T07:30:00Z", 0, 1));
    }

    @Test
    void malformedRecordsGoToTheDeadLettersWithTheirReasonAndNeverStopTheJob() throws Exception {
        String badLane = passage("e2", "S0001", "C0000001", 275, "2026-11-18T14:02:00Z")
                .replace("\"laneId\":1", "\"laneId\":99");

        Results results = run(
                List.of("not json", passage("e1", "S0001", "C0000001", 275, "2026-11-18T14:01:00Z"), badLane),
                UTC_STATIONS,
                NO_THRESHOLDS);

        List<JsonNode> deadLetters = new ArrayList<>();
        for (String deadLetter : results.deadLetters()) {
            deadLetters.add(new ObjectMapper().readTree(deadLetter));
        }
        assertThat(deadLetters)
                .extracting(d -> d.get("raw").asText(), d -> d.get("reason").asText())
                .containsExactlyInAnyOrder(
                        tuple(
                                "not json",
                                "not valid JSON: Unrecognized token 'not': was expecting (JSON String, "
                                        + "Number, Array, Object or token 'null', 'true' or 'false')"),
                        tuple(badLane, "laneId must be between 1 and 32, was 99"));
        assertThat(results.totals())
                .containsExactly(total("C0000001", "2026-11-18T14:00:00Z", "2026-11-18T14:10:00Z", 275, 1, 0));
    }

    /**
     * At parallelism 1, so that "late" is a matter of record order alone. A transceiver with a
     * broken clock must not push the watermark to 2099, which would make every honest passage
     * after it late.
     */
    @Test
    void anEventStampedFarAheadOfTheClockIsRejectedAndNeverMovesTheWatermark() throws Exception {
        String brokenClock = passage("f1", "S0001", "C0000009", 500, "2099-06-01T12:00:00Z");
        Results results = run(
                List.of(
                        passage("e1", "S0001", "C0000001", 275, "2026-11-18T14:01:00Z"),
                        brokenClock,
                        passage("e2", "S0001", "C0000001", 100, "2026-11-18T14:05:00Z"),
                        passage("e3", "S0001", "C0000001", 100, "2026-11-18T14:12:00Z")),
                UTC_STATIONS,
                NO_THRESHOLDS + "S0001,WEDNESDAY,14:00,5\n",
                1);

        assertThat(results.totals())
                .containsExactlyInAnyOrder(
                        total("C0000001", "2026-11-18T14:00:00Z", "2026-11-18T14:10:00Z", 375, 2, 0),
                        total("C0000001", "2026-11-18T14:10:00Z", "2026-11-18T14:20:00Z", 100, 1, 0));
        assertThat(results.late()).isEmpty();
        assertThat(results.alerts())
                .containsExactly(alert("S0001", "2026-11-18T14:00:00Z", "2026-11-18T14:30:00Z", 3, 5));
        assertThat(results.deadLetters()).singleElement().satisfies(json -> {
            JsonNode deadLetter = new ObjectMapper().readTree(json);
            assertThat(deadLetter.get("raw").asText()).isEqualTo(brokenClock);
            assertThat(deadLetter.get("reason").asText())
                    .startsWith("eventTime must not be ahead of the reading clock by more than the tolerance,"
                            + " was 2099-06-01T12:00:00Z");
        });
    }

    /**
     * 200,000 control characters escape to 1.2 MB of JSON: the dead letter is cut to fit a
     * Firehose record (the delivery stream that archives the dead letters takes no more), which
     * fits a Kinesis record with its partition key.
     */
    @Test
    void aRecordOfControlCharactersOrNotUtf8IsDeadLetteredWithinFirehosesRecordLimit() throws Exception {
        byte[] controlCharacters = "\u0001".repeat(200_000).getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = passage("e2", "S0001", "C0000001", 275, "2026-11-18T14:02:00Z")
                .replace("}", ",\"note\":\"Zürich\"}")
                .getBytes(StandardCharsets.ISO_8859_1);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);

        Results results = runBytes(
                env.fromData(
                        controlCharacters,
                        latin1,
                        passage("e1", "S0001", "C0000001", 275, "2026-11-18T14:01:00Z")
                                .getBytes(StandardCharsets.UTF_8)),
                UTC_STATIONS,
                NO_THRESHOLDS);

        assertThat(results.totals())
                .containsExactly(total("C0000001", "2026-11-18T14:00:00Z", "2026-11-18T14:10:00Z", 275, 1, 0));
        List<JsonNode> deadLetters = new ArrayList<>();
        for (String json : results.deadLetters()) {
            assertThat(json.length()).isLessThanOrEqualTo(1000 * 1024);
            deadLetters.add(new ObjectMapper().readTree(json));
        }
        assertThat(deadLetters)
                .extracting(
                        d -> d.get("length").asInt(), d -> d.get("truncated").asBoolean(), d -> d.has("rawBase64"))
                .containsExactlyInAnyOrder(tuple(200_000, true, false), tuple(latin1.length, false, true));
        assertThat(results.deadLetters().stream().mapToInt(String::length).max().orElseThrow())
                .as("the longest prefix that fits")
                .isGreaterThan(1000 * 1024 - 6);
    }

    @Test
    void aPassageLaterThanTheBillingLatenessIsBilledAloneOnceAndStaysLateForItsStation() throws Exception {
        String veryLate = passage("late", "S0001", "C0000001", 300, "2026-11-18T14:05:00Z");
        Results results = run(
                List.of(
                        passage("e1", "S0001", "C0000001", 275, "2026-11-18T14:01:00Z"),
                        // 30 hours on: the 14:00 billing window has closed for good.
                        passage("e2", "S0001", "C0000002", 100, "2026-11-19T20:01:00Z"),
                        veryLate,
                        veryLate),
                UTC_STATIONS,
                NO_THRESHOLDS,
                1);

        assertThat(results.totals())
                .containsExactlyInAnyOrder(
                        total("C0000001", "2026-11-18T14:00:00Z", "2026-11-18T14:10:00Z", 275, 1, 0),
                        new CustomerWindowTotal(
                                "C0000001",
                                Instant.parse("2026-11-18T14:00:00Z"),
                                Instant.parse("2026-11-18T14:10:00Z"),
                                300,
                                1,
                                0,
                                "late"),
                        total("C0000002", "2026-11-19T20:00:00Z", "2026-11-19T20:10:00Z", 100, 1, 0));
        assertThat(results.late()).extracting(TollEvent::eventId).containsExactly("late");
    }

    @Test
    void theSameEventIdWithOtherContentIsTheFirstSightingsPassage() throws Exception {
        String first = passage("e1", "S0001", "C0000001", 275, "2026-11-18T14:01:00Z");
        Results results = run(
                List.of(first, first.replace("275", "999").replace("C0000001", "C0000002")),
                UTC_STATIONS,
                NO_THRESHOLDS);

        assertThat(results.totals())
                .containsExactly(total("C0000001", "2026-11-18T14:00:00Z", "2026-11-18T14:10:00Z", 275, 1, 0));
    }

    /**
     * The Kinesis sinks deliver at least once: what the job wrote before a crash stays written.
     * Passages later than the billing lateness are billed alone, then the job fails and restores
     * from a checkpoint taken before them, with no watermark (Flink keeps none in checkpoints).
     * Replayed, they must be judged as late as before: a window re-created for them would bill
     * them a second time. Everything the job ever wrote, applied as the billing function applies
     * it, must bill each passage exactly once.
     */
    @Test
    void passagesBilledAloneAreBilledOnceAlsoWhenTheJobRestoresFromBeforeThem() throws Exception {
        Instant start = Instant.parse("2026-11-18T14:00:00Z");
        List<String> records = new ArrayList<>();
        records.add(passage("a", "S0001", "C0000001", 100, start.plusSeconds(60).toString()));
        records.add(passage(
                "push",
                "S0001",
                "C0000002",
                100,
                start.plus(Duration.ofHours(30)).toString()));
        for (int i = 0; i < 1_500; i++) {
            // Later than the billing lateness, and too old to move the watermark when replayed.
            records.add(passage(
                    "f" + i, "S0001", "C0000003", 10, start.plusMillis(i).toString()));
        }
        records.add(passage(
                LAST_LATE_PASSAGE,
                "S0001",
                "C0000001",
                50,
                start.plusSeconds(300).toString()));
        Map<String, Long> exactlyOnce = Map.of("C0000001", 150L, "C0000002", 100L, "C0000003", 15_000L);

        StreamExecutionEnvironment env = restartingAfterAFailure(1, 50);
        TollTopology.Outputs outputs = TollTopology.build(
                read(slowly(env, records, 1_000)),
                env.fromData(ReferenceDataSnapshot.usable(UTC_STATIONS, NO_THRESHOLDS, "v1")),
                JobConfig.DEFAULTS.withWatermarkAfterEveryRecord(true));
        WrittenBeforeACrash.reset();
        outputs.customerWindowTotals().map(new WrittenBeforeACrash()).sinkTo(new DiscardingSink<>());

        env.execute("billed alone, then restored");

        assertThat(WrittenBeforeACrash.failed())
                .as("the job crashed after a checkpoint that followed the first passage billed alone")
                .isTrue();
        assertThat(WrittenBeforeACrash.written())
                .as("passages billed alone, written twice: before the crash and after the restore")
                .filteredOn(total -> total.latePassage().isPresent())
                .hasSizeGreaterThan(1_501);
        assertThat(InMemoryLedger.monthTotalsByCustomer(WrittenBeforeACrash.written()))
                .isEqualTo(exactlyOnce);
    }

    private static final String LAST_LATE_PASSAGE = "last";

    /**
     * Keeps every total as it passes, as a Kinesis sink would deliver it, and fails the job once,
     * right after the last late passage was billed, before a checkpoint can cover it: but only
     * once a checkpoint taken after the first passage billed alone has completed, so that the
     * restore goes back to a moment when the job already judged passages closed for billing.
     */
    static final class WrittenBeforeACrash
            implements MapFunction<CustomerWindowTotal, CustomerWindowTotal>, CheckpointedFunction, CheckpointListener {
        private static final long serialVersionUID = 1L;
        private static final Queue<CustomerWindowTotal> WRITTEN = new ConcurrentLinkedQueue<>();
        private static final Set<Long> TAKEN_AFTER_BILLING_ALONE = ConcurrentHashMap.newKeySet();
        private static final AtomicBoolean BILLED_ALONE = new AtomicBoolean();
        private static final AtomicBoolean CHECKPOINTED_AFTER_BILLING_ALONE = new AtomicBoolean();
        private static final AtomicBoolean FAILED = new AtomicBoolean();

        static void reset() {
            WRITTEN.clear();
            TAKEN_AFTER_BILLING_ALONE.clear();
            BILLED_ALONE.set(false);
            CHECKPOINTED_AFTER_BILLING_ALONE.set(false);
            FAILED.set(false);
        }

        static boolean failed() {
            return FAILED.get();
        }

        static List<CustomerWindowTotal> written() {
            return List.copyOf(WRITTEN);
        }

        @Override
        public CustomerWindowTotal map(CustomerWindowTotal total) {
            WRITTEN.add(total);
            if (total.latePassage().isPresent()) {
                BILLED_ALONE.set(true);
            }
            if (total.latePassage().filter(LAST_LATE_PASSAGE::equals).isPresent()
                    && CHECKPOINTED_AFTER_BILLING_ALONE.get()
                    && !FAILED.getAndSet(true)) {
                throw new IllegalStateException("injected crash after the last late passage was billed");
            }
            return total;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            if (BILLED_ALONE.get()) {
                TAKEN_AFTER_BILLING_ALONE.add(context.getCheckpointId());
            }
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {}

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            if (TAKEN_AFTER_BILLING_ALONE.contains(checkpointId)) {
                CHECKPOINTED_AFTER_BILLING_ALONE.set(true);
            }
        }
    }

    @Test
    void aTaskThatFailsAfterACheckpointRestoresFromItAndYieldsExactlyTheSameOutputs() throws Exception {
        List<String> records = new ArrayList<>();
        Instant start = Instant.parse("2026-11-18T12:00:00Z");
        for (int i = 0; i < 3_600; i++) {
            records.add(passage(
                    "e" + i,
                    "S000" + (1 + i % 3),
                    "C000000" + (1 + i % 6),
                    100 + i % 7,
                    start.plusSeconds(3L * i).toString()));
        }
        String stations =
                """
                stationId,name,timeZone
                S0001,Riverside Plaza,UTC
                S0002,Lakeshore Gate,UTC
                S0003,Hillcrest,UTC
                """;
        String thresholds = NO_THRESHOLDS + "S0001,WEDNESDAY,13:00,250\nS0002,WEDNESDAY,13:30,300\n";
        Results withoutFailure = run(records, stations, thresholds, 2);

        StreamExecutionEnvironment env = restartingAfterAFailure(2, 100);
        FailOnceAfterACheckpoint.reset();
        DataStream<byte[]> input =
                slowly(env, records, 1_500).map(new FailOnceAfterACheckpoint()).setParallelism(1);

        Results withFailure = runBytes(input, stations, thresholds);

        assertThat(FailOnceAfterACheckpoint.failed()).isTrue();
        assertThat(withFailure.totals()).containsExactlyInAnyOrderElementsOf(withoutFailure.totals());
        assertThat(withFailure.alerts()).containsExactlyInAnyOrderElementsOf(withoutFailure.alerts());
        assertThat(withoutFailure.totals()).hasSize(6 * 18).allMatch(total -> total.revision() == 0);
        assertThat(withoutFailure.alerts()).isNotEmpty();
    }

    /** Throws once, on the first record after a checkpoint has completed, to make the job restore from it. */
    static final class FailOnceAfterACheckpoint implements MapFunction<byte[], byte[]>, CheckpointListener {
        private static final long serialVersionUID = 1L;
        private static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
        private static final AtomicBoolean FAILED = new AtomicBoolean();

        static void reset() {
            CHECKPOINTED.set(false);
            FAILED.set(false);
        }

        static boolean failed() {
            return FAILED.get();
        }

        @Override
        public byte[] map(byte[] record) {
            if (CHECKPOINTED.get() && !FAILED.getAndSet(true)) {
                throw new IllegalStateException("injected failure after a completed checkpoint");
            }
            return record;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTED.set(true);
        }
    }
}
