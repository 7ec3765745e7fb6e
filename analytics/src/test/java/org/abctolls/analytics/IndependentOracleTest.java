package org.abctolls.analytics;

import static org.abctolls.analytics.IndependentOracleSets.expectedLines;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.abctolls.analytics.IndependentOracleSets.Line;
import org.abctolls.domain.BillingThresholdAlert;
import org.abctolls.domain.DeadLetter;
import org.abctolls.domain.LowTrafficAlert;
import org.abctolls.domain.ReferenceData;
import org.abctolls.domain.TollEventRules;
import org.abctolls.domain.TollJson;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The topology against an oracle written in Python from the contract alone, by an author who
 * had not read this repository ({@code testdata/independent-oracle}, whose README lists every
 * reading of the contract it had to choose). Each of its data sets aims at one risk: time zones
 * and their changes, silent stations, window boundaries, lateness, re-sends, billing months and
 * thresholds, hostile bytes, and a mix of all. Read as {@code ./tolls replay} reads a file,
 * through the topology at parallelism 1 and the ledger's rule, each gives the oracle's
 * low-traffic alerts, billing alerts and monthly totals, and refuses exactly the lines the
 * oracle calls malformed.
 *
 * <p>Where this pipeline reads the contract the other way, the set names the oracle's
 * alternative reading it follows ({@link IndependentOracleSets#expected}).
 */
class IndependentOracleTest {

    static Stream<Path> dataSets() throws IOException {
        List<Path> sets = IndependentOracleSets.all();
        assertThat(sets).hasSizeGreaterThanOrEqualTo(8);
        return sets.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dataSets")
    void theTopologyAndTheLedgerGiveTheIndependentOraclesOutputs(Path set) throws Exception {
        List<Line> lines = IndependentOracleSets.lines(set);
        List<byte[]> sent = lines.stream()
                .filter(line -> line.bytes().length <= DeadLetter.KINESIS_RECORD_LIMIT)
                .map(Line::bytes)
                .toList();
        // The oracle judged the future against the clock it ran by; none of its sets is near it.
        Instant latestAcceptable = Instant.now().plus(TollEventRules.DEFAULT_FUTURE_TOLERANCE);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        DataStream<InputRecord> input = TollTopology.watermarkedInReadOrder(
                env.fromData(sent).map(bytes -> InputRecord.read(bytes, latestAcceptable)),
                JobConfig.DEFAULTS.withWatermarkAfterEveryRecord(true));
        TollTopologyTest.Results results = TollTopologyTest.run(
                input,
                Files.readString(set.resolve(ReferenceData.STATIONS_FILE)),
                Files.readString(set.resolve(ReferenceData.STATION_THRESHOLDS_FILE)),
                latestAcceptable);
        InMemoryLedger ledger = new InMemoryLedger(ReferenceData.readCustomers(
                ReferenceData.CUSTOMERS_FILE,
                new StringReader(Files.readString(set.resolve(ReferenceData.CUSTOMERS_FILE))),
                unusable -> {}));
        results.totals().forEach(ledger::apply);

        assertThat(sorted(results.alerts(), LowTrafficAlert.LISTING_ORDER))
                .as("low-traffic alerts")
                .containsExactlyElementsOf(sorted(
                        expectedLines(set, "low-traffic-alerts.jsonl").stream()
                                .map(TollJson::readLowTrafficAlert)
                                .toList(),
                        LowTrafficAlert.LISTING_ORDER));
        assertThat(sorted(ledger.alerts(), BillingThresholdAlert.LISTING_ORDER))
                .as("billing alerts")
                .containsExactlyElementsOf(sorted(
                        expectedLines(set, "billing-alerts.jsonl").stream()
                                .map(TollJson::readBillingThresholdAlert)
                                .toList(),
                        BillingThresholdAlert.LISTING_ORDER));
        assertThat(ledger.months()).as("monthly totals").isEqualTo(expectedMonthlyTotals(set));
        TreeSet<Integer> refused = IndependentOracleSets.refusedLines(lines, results.deadLetters());
        // What Kinesis cannot take, the producer keeps back (the replay's rejected.jsonl lists it).
        lines.stream()
                .filter(line -> line.bytes().length > DeadLetter.KINESIS_RECORD_LIMIT)
                .forEach(line -> refused.add(line.number()));
        assertThat(refused)
                .as("lines refused (numbered in events.jsonl)")
                .isEqualTo(IndependentOracleSets.expectedMalformedLines(set));
    }

    /** {@code customerId,month,totalCents} rows, keyed as {@link InMemoryLedger#months()} keys them. */
    private static Map<String, Long> expectedMonthlyTotals(Path set) {
        Map<String, Long> totals = new TreeMap<>();
        List<String> rows = expectedLines(set, "monthly-totals.csv");
        for (String row : rows.subList(1, rows.size())) {
            String[] cells = row.split(",");
            totals.put(cells[0] + " " + cells[1], Long.parseLong(cells[2]));
        }
        return totals;
    }

    private static <T> List<T> sorted(List<T> items, Comparator<T> order) {
        return items.stream().sorted(order).toList();
    }
}
