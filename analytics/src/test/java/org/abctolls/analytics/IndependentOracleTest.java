package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
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
 * alternative reading it follows ({@link #READINGS_FOLLOWED}), whose files the oracle writes
 * beside its default ones.
 */
class IndependentOracleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ORACLE = Path.of("..", "testdata", "independent-oracle");

    /**
     * An event id of half a surrogate pair (JSON may escape one, UTF-8 cannot carry it) is
     * refused here: written out it would be {@code ?}, one passage's ledger and warehouse key for
     * another's (README, Hostile input). The oracle accepts it by default.
     */
    private static final Map<String, String> READINGS_FOLLOWED = Map.of("07-hostile", "lone-surrogate-malformed");

    private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    static Stream<Path> dataSets() throws IOException {
        try (Stream<Path> sets = Files.list(ORACLE.resolve("sets"))) {
            List<Path> sorted = sets.filter(Files::isDirectory).sorted().toList();
            assertThat(sorted).hasSizeGreaterThanOrEqualTo(8);
            return sorted.stream();
        }
    }

    /** A line of {@code events.jsonl}: its number and bytes, as the replay splits the file. */
    private record Line(int number, byte[] bytes) {}

    @ParameterizedTest(name = "{0}")
    @MethodSource("dataSets")
    void theTopologyAndTheLedgerGiveTheIndependentOraclesOutputs(Path set) throws Exception {
        List<Line> lines = lines(Files.readAllBytes(set.resolve("events.jsonl")));
        List<Line> keptByProducer = lines.stream()
                .filter(line -> line.bytes().length > DeadLetter.KINESIS_RECORD_LIMIT)
                .toList();
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
        assertThat(refusedLines(lines, results.deadLetters(), keptByProducer))
                .as("lines refused (numbered in events.jsonl)")
                .isEqualTo(expectedMalformedLines(set));
    }

    /**
     * The file's lines as {@code ReplayInput} reads them: a byte order mark opening the file is
     * not part of the first record, a line ending in CR LF ends before the CR, an empty line is no
     * record, and every other line is one, whatever its bytes.
     */
    private static List<Line> lines(byte[] content) {
        List<Line> lines = new ArrayList<>();
        int from = startsWith(content, BYTE_ORDER_MARK) ? BYTE_ORDER_MARK.length : 0;
        int number = 0;
        while (from < content.length) {
            int end = from;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            number++;
            int last = end > from && content[end - 1] == '\r' ? end - 1 : end;
            if (last > from) {
                lines.add(new Line(number, Arrays.copyOfRange(content, from, last)));
            }
            from = end + 1;
        }
        return lines;
    }

    private static boolean startsWith(byte[] content, byte[] prefix) {
        return content.length >= prefix.length && Arrays.equals(content, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The numbers of the lines refused: by the job (found by the SHA-256 its dead letter names) or the producer. */
    private static TreeSet<Integer> refusedLines(List<Line> lines, List<String> deadLetters, List<Line> keptByProducer)
            throws IOException {
        Map<String, List<Integer>> numbersByDigest = new TreeMap<>();
        for (Line line : lines) {
            numbersByDigest
                    .computeIfAbsent(sha256(line.bytes()), digest -> new ArrayList<>())
                    .add(line.number());
        }
        TreeSet<Integer> refused = new TreeSet<>();
        for (String deadLetter : deadLetters) {
            String digest = JSON.readTree(deadLetter).get("sha256").asText();
            List<Integer> numbers = numbersByDigest.get(digest);
            assertThat(numbers).as("the line of dead letter %s", deadLetter).isNotEmpty();
            refused.add(numbers.remove(0));
        }
        keptByProducer.forEach(line -> refused.add(line.number()));
        return refused;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The oracle's file, or the one of the reading this pipeline follows for the set where that differs. */
    private static Path expected(Path set, String file) {
        String reading = READINGS_FOLLOWED.get(set.getFileName().toString());
        if (reading != null) {
            Path alternative = set.resolve("alternatives").resolve(reading).resolve(file);
            if (Files.exists(alternative)) {
                return alternative;
            }
        }
        return set.resolve("expected").resolve(file);
    }

    private static List<String> expectedLines(Path set, String file) {
        try {
            return Files.readAllLines(expected(set, file), StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /** {@code LINE<TAB>reason} rows. */
    private static TreeSet<Integer> expectedMalformedLines(Path set) {
        TreeSet<Integer> numbers = new TreeSet<>();
        expectedLines(set, "malformed.txt").forEach(row -> numbers.add(Integer.parseInt(row.split("\t")[0])));
        return numbers;
    }

    private static <T> List<T> sorted(List<T> items, Comparator<T> order) {
        return items.stream().sorted(order).toList();
    }
}
