package org.abctolls.localpipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.abctolls.domain.PassagesCsv;
import org.abctolls.domain.TollJson;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.LocalAwsExtension;
import org.abctolls.sim.Generator;
import org.abctolls.sim.Oracle;
import org.abctolls.sim.RunFiles;
import org.abctolls.sim.Simulation;
import org.abctolls.sim.SimulationOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./tolls replay} of a day into which a hostile world mixed its records at midday (see
 * the simulator's {@code HostileRecords}): a line that is not UTF-8, one of 1.1 MB, one of
 * 200,000 control characters, an event stamped 2099, passages 30 hours late, late passages for
 * a billed window and for a closed station window, other content under a seen event id, and
 * an empty line. Each of them alone stopped the pipeline once. The replay must complete, its
 * files must hold exactly the oracle's alerts and month totals, and every record that must be
 * refused must be in {@code rejected.jsonl}, once, with its reason.
 */
@ExtendWith(LocalAwsExtension.class)
class HostileInputIT {

    static final SimulationOptions HOSTILE_DAY =
            EndToEndIT.DAY.withScenarios(SimulationOptions.Scenarios.ALL.withHostile(true));

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param aws not used here: the replay finds the kit itself, as {@code ./tolls replay} does */
    @Test
    void aReplayedDayWithAHostileWorldsRecordsYieldsExactlyTheOraclesOutputsAndKeepsEveryRejectedRecord(
            AwsTarget aws, @TempDir Path input, @TempDir Path out) throws Exception {
        Simulation day = Generator.generate(HOSTILE_DAY);
        RunFiles.writeEvents(input, day.emissions());
        Files.write(input.resolve(RunFiles.EVENTS), "\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        RunFiles.writeReferenceData(input, day);
        Oracle.Result oracle = EndToEndIT.oracleOf(day);
        assertThat(oracle.rejectedByProducer()).isEqualTo(1);
        StringWriter console = new StringWriter();

        int exitCode = new CommandLine(new Replay())
                .setOut(new PrintWriter(console, true))
                .setErr(new PrintWriter(console, true))
                .execute(
                        "--input", input.toString(),
                        "--out", out.toString(),
                        "--template", EndToEndIT.TEMPLATE.toString());

        assertThat(exitCode).as(console.toString()).isZero();
        // Line for line as the simulator writes the oracle's, so that diff compares the files.
        assertThat(Files.readAllLines(out.resolve(OutputFiles.BILLING_ALERTS)))
                .containsExactlyElementsOf(
                        oracle.billingAlerts().stream().map(TollJson::write).toList());
        assertThat(Files.readAllLines(out.resolve(OutputFiles.LOW_TRAFFIC_ALERTS)))
                .containsExactlyElementsOf(
                        oracle.lowTrafficAlerts().stream().map(TollJson::write).toList());
        List<String> expectedTotals = new ArrayList<>(List.of("customerId,month,totalCents"));
        oracle.monthlyTotals()
                .forEach(total ->
                        expectedTotals.add(total.customerId() + "," + total.month() + "," + total.totalCents()));
        assertThat(Files.readAllLines(out.resolve(OutputFiles.MONTHLY_TOTALS))).isEqualTo(expectedTotals);
        List<String> rejected = Files.readAllLines(out.resolve(OutputFiles.REJECTED));
        assertThat(OracleComparison.rejected(rejected, oracle, day.emissions(), OracleComparison.Delivery.EXACTLY_ONCE)
                        .differences())
                .as("how the rejected records differ from those to refuse")
                .isEmpty();
        List<JsonNode> letters = new ArrayList<>();
        for (String line : rejected) {
            letters.add(JSON.readTree(line));
        }
        assertThat(letters)
                .extracting(letter -> letter.path("reason").asText())
                .anyMatch(reason -> reason.startsWith("not valid UTF-8"))
                .anyMatch(reason -> reason.startsWith("eventTime must not be ahead of the reading clock"))
                .anyMatch(reason -> reason.contains("exceeds Kinesis' record limit"));
        assertThat(letters)
                .as("the record of 200,000 control characters, cut to fit a Firehose record")
                .anyMatch(letter -> letter.path("length").asInt() == 200_000
                        && letter.path("truncated").asBoolean());
        assertThat(out.resolve(OutputFiles.FAILED_BATCHES)).doesNotExist();
        StringWriter oraclePassages = new StringWriter();
        PassagesCsv.write(oraclePassages, oracle.passages());
        assertThat(out.resolve(OutputFiles.WAREHOUSE_PASSAGES))
                .as("the warehouse's passages, as the simulator writes the oracle's")
                .hasContent(oraclePassages.toString().stripTrailing());
    }
}
