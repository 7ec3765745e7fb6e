package org.abctolls.localpipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.LocalAwsExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code ./tolls replay} of data sets of the oracle written from the contract alone ({@code
 * testdata/independent-oracle}; analytics' {@code IndependentOracleTest} runs all of them
 * through the topology): here the whole local path, the replay's reading of the file and its
 * producer, the job, both functions on the KCL host and the ledger in the kit's DynamoDB. The
 * hostile set is the file's bytes (a byte order mark, CR LF, bytes that are not UTF-8, a line
 * over Kinesis' limit, a last line cut short); the mixed one has late passages, re-sends with
 * other content and billing alerts. The replay's files hold the oracle's alerts and month
 * totals, and it refuses exactly the lines the oracle calls malformed.
 */
@ExtendWith(LocalAwsExtension.class)
class IndependentOracleReplayIT {

    private static final Path SETS = Path.of("..", "testdata", "independent-oracle", "sets");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** As in analytics' {@code IndependentOracleTest}: the readings where this pipeline differs on purpose. */
    private static final Map<String, String> READINGS_FOLLOWED = Map.of("07-hostile", "lone-surrogate-malformed");

    /** @param aws not used here: the replay finds the kit itself, as {@code ./tolls replay} does */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"07-hostile", "08-mixed"})
    void aReplayGivesTheIndependentOraclesOutputs(String name, AwsTarget aws, @TempDir Path out) throws Exception {
        Path set = SETS.resolve(name);
        StringWriter console = new StringWriter();

        int exitCode = new CommandLine(new Replay())
                .setOut(new PrintWriter(console, true))
                .setErr(new PrintWriter(console, true))
                .execute(
                        "--input", set.toString(),
                        "--out", out.toString(),
                        "--template", EndToEndIT.TEMPLATE.toString());

        assertThat(exitCode).as(console.toString()).isZero();
        assertThat(jsonLines(out.resolve(OutputFiles.BILLING_ALERTS)))
                .as("billing alerts")
                .isEqualTo(jsonLines(expected(set, OutputFiles.BILLING_ALERTS)));
        assertThat(jsonLines(out.resolve(OutputFiles.LOW_TRAFFIC_ALERTS)))
                .as("low-traffic alerts")
                .isEqualTo(jsonLines(expected(set, OutputFiles.LOW_TRAFFIC_ALERTS)));
        assertThat(Files.readAllLines(out.resolve(OutputFiles.MONTHLY_TOTALS)))
                .as("monthly totals")
                .containsExactlyInAnyOrderElementsOf(Files.readAllLines(expected(set, OutputFiles.MONTHLY_TOTALS)));
        assertThat(refusedLines(set, out.resolve(OutputFiles.REJECTED)))
                .as("lines refused (numbered in events.jsonl)")
                .isEqualTo(expectedMalformedLines(set));
        assertThat(out.resolve(OutputFiles.FAILED_BATCHES)).doesNotExist();
    }

    private static Path expected(Path set, String file) {
        String reading = READINGS_FOLLOWED.get(set.getFileName().toString());
        Path alternative = reading == null
                ? null
                : set.resolve("alternatives").resolve(reading).resolve(file);
        return alternative != null && Files.exists(alternative)
                ? alternative
                : set.resolve("expected").resolve(file);
    }

    /** Each line as JSON, so that the order of keys does not count. */
    private static Set<JsonNode> jsonLines(Path file) throws IOException {
        Set<JsonNode> nodes = new HashSet<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                assertThat(nodes.add(JSON.readTree(line)))
                        .as("%s once in %s", line, file)
                        .isTrue();
            }
        }
        return nodes;
    }

    /**
     * The numbers of the lines whose records were refused, found by the SHA-256 each dead letter
     * names, the lines numbered and split as the oracle and the replay split them.
     */
    private static TreeSet<Integer> refusedLines(Path set, Path rejected) throws Exception {
        byte[] content = Files.readAllBytes(set.resolve("events.jsonl"));
        Map<String, List<Integer>> numbersByDigest = new TreeMap<>();
        int from = startsWithByteOrderMark(content) ? BYTE_ORDER_MARK.length : 0;
        for (int number = 1; from < content.length; number++) {
            int end = from;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            int last = end > from && content[end - 1] == '\r' ? end - 1 : end;
            byte[] line = Arrays.copyOfRange(content, from, last);
            String digest = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(line));
            numbersByDigest.computeIfAbsent(digest, key -> new ArrayList<>()).add(number);
            from = end + 1;
        }
        TreeSet<Integer> refused = new TreeSet<>();
        for (String deadLetter : Files.readAllLines(rejected, StandardCharsets.UTF_8)) {
            List<Integer> numbers =
                    numbersByDigest.get(JSON.readTree(deadLetter).path("sha256").asText());
            assertThat(numbers).as("the line of dead letter %s", deadLetter).isNotEmpty();
            refused.add(numbers.remove(0));
        }
        return refused;
    }

    private static boolean startsWithByteOrderMark(byte[] content) {
        return content.length >= BYTE_ORDER_MARK.length
                && Arrays.equals(content, 0, BYTE_ORDER_MARK.length, BYTE_ORDER_MARK, 0, BYTE_ORDER_MARK.length);
    }

    private static TreeSet<Integer> expectedMalformedLines(Path set) throws IOException {
        TreeSet<Integer> numbers = new TreeSet<>();
        for (String row : Files.readAllLines(expected(set, "malformed.txt"), StandardCharsets.UTF_8)) {
            if (!row.isBlank()) {
                numbers.add(Integer.parseInt(row.split("\t")[0]));
            }
        }
        return numbers;
    }
}
