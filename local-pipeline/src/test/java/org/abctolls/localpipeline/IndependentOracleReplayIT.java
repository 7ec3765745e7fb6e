package org.abctolls.localpipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.abctolls.analytics.IndependentOracleSets;
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
 * totals, and it refuses exactly the lines the oracle calls malformed (with the readings
 * {@link IndependentOracleSets#expected} follows).
 */
@ExtendWith(LocalAwsExtension.class)
class IndependentOracleReplayIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param aws not used here: the replay finds the kit itself, as {@code ./tolls replay} does */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"07-hostile", "08-mixed"})
    void aReplayGivesTheIndependentOraclesOutputs(String name, AwsTarget aws, @TempDir Path out) throws Exception {
        Path set = IndependentOracleSets.named(name);
        StringWriter console = new StringWriter();

        int exitCode = new CommandLine(new Replay())
                .setOut(new PrintWriter(console, true))
                .setErr(new PrintWriter(console, true))
                .execute(
                        "--input", set.toString(),
                        "--out", out.toString(),
                        "--template", EndToEndIT.TEMPLATE.toString());

        assertThat(exitCode).as(console.toString()).isZero();
        assertThat(jsonLines(Files.readAllLines(out.resolve(OutputFiles.BILLING_ALERTS))))
                .as("billing alerts")
                .isEqualTo(jsonLines(IndependentOracleSets.expectedLines(set, OutputFiles.BILLING_ALERTS)));
        assertThat(jsonLines(Files.readAllLines(out.resolve(OutputFiles.LOW_TRAFFIC_ALERTS))))
                .as("low-traffic alerts")
                .isEqualTo(jsonLines(IndependentOracleSets.expectedLines(set, OutputFiles.LOW_TRAFFIC_ALERTS)));
        assertThat(Files.readAllLines(out.resolve(OutputFiles.MONTHLY_TOTALS)))
                .as("monthly totals")
                .containsExactlyInAnyOrderElementsOf(
                        IndependentOracleSets.expectedLines(set, OutputFiles.MONTHLY_TOTALS));
        assertThat(IndependentOracleSets.refusedLines(
                        IndependentOracleSets.lines(set), Files.readAllLines(out.resolve(OutputFiles.REJECTED))))
                .as("lines refused (numbered in events.jsonl)")
                .isEqualTo(IndependentOracleSets.expectedMalformedLines(set));
        assertThat(out.resolve(OutputFiles.FAILED_BATCHES)).doesNotExist();
    }

    /** Each line as JSON, so that the order of keys does not count; none twice. */
    private static Set<JsonNode> jsonLines(List<String> lines) throws IOException {
        Set<JsonNode> nodes = new HashSet<>();
        for (String line : lines) {
            if (!line.isBlank()) {
                assertThat(nodes.add(JSON.readTree(line))).as("%s once", line).isTrue();
            }
        }
        return nodes;
    }
}
