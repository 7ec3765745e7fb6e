package org.abctolls.localpipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.abctolls.domain.DeadLetter;
import org.abctolls.domain.TollJson;
import org.abctolls.domain.TumblingWindow;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.LocalAwsExtension;
import org.abctolls.localkit.TopicQueues;
import org.abctolls.sim.Emission;
import org.abctolls.sim.Generator;
import org.abctolls.sim.Oracle;
import org.abctolls.sim.RunFiles;
import org.abctolls.sim.Simulation;
import org.abctolls.sim.SimulationOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on the local kit, from the stack's local template: a simulated day with
 * every scenario on, written as replay input and replayed through Kinesis, the Flink job on a
 * MiniCluster, both functions on KCL, DynamoDB and SNS. What the subscribers received and what
 * the ledger and the warehouse hold must be exactly the simulator's oracle.
 */
@ExtendWith(LocalAwsExtension.class)
class EndToEndIT {

    static final Path TEMPLATE = Path.of("..", "infra", "target", "cdk.out", "AbcTollsLocal.template.json");
    static final Duration WATERMARK_BOUND = TumblingWindow.DEFAULT_WATERMARK_BOUND;
    static final Duration TIMEOUT = Duration.ofMinutes(10);
    static final SimulationOptions DAY = SimulationOptions.defaults()
            .withSeed(20261122)
            .withTraffic(SimulationOptions.DEFAULT_START, Duration.ofDays(1), 10, 500, 60)
            .withScenarios(SimulationOptions.Scenarios.ALL)
            .withWatermarkBound(WATERMARK_BOUND);

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aReplayedDayWithEveryScenarioYieldsExactlyTheOraclesAlertsTotalsAndRejections(
            AwsTarget aws, @TempDir Path input) throws Exception {
        Simulation day = Generator.generate(DAY);
        RunFiles.writeEvents(input, day.emissions());
        RunFiles.writeReferenceData(input, day);
        Oracle.Result oracle = oracleOf(day);
        assertThat(oracle.billingAlerts()).isNotEmpty();
        assertThat(oracle.lowTrafficAlerts()).isNotEmpty();
        assertThat(oracle.malformed()).isPositive();
        assertThat(oracle.duplicates()).isPositive();
        assertThat(oracle.lateForStations()).isPositive();

        LocalPipeline.Output output = Replay.run(aws, TEMPLATE, ReplayInput.read(input), WATERMARK_BOUND, TIMEOUT);

        assertMatchesOracle(output, oracle, day, DeadLetters.EXACTLY_ONCE);
        System.out.printf(
                "latency from window close to alert (the day sent at once, so the job works through a backlog):"
                        + " billing %s; low traffic %s; from put to queryable in the warehouse: %s%n",
                output.billingLatency(),
                output.lowTrafficLatency(),
                output.warehouseLatency().describe("passages"));
    }

    static Oracle.Result oracleOf(Simulation day) {
        return Oracle.of(day, WATERMARK_BOUND);
    }

    /**
     * How often a malformed record may be in the dead-letter stream: the job's sinks are
     * at-least-once, so after a restore from a checkpoint the records rejected since that
     * checkpoint are rejected again. (The alerts and totals stay exact: their consumers are
     * idempotent.)
     */
    enum DeadLetters {
        EXACTLY_ONCE,
        AT_LEAST_ONCE
    }

    static void assertMatchesOracle(
            LocalPipeline.Output output, Oracle.Result oracle, Simulation day, DeadLetters deadLetters)
            throws Exception {
        assertThat(bodies(output.billingAlerts()).stream().map(TollJson::readBillingThresholdAlert))
                .as("billing alerts received by the customers' topic subscriber")
                .containsExactlyInAnyOrderElementsOf(oracle.billingAlerts());
        assertThat(bodies(output.lowTrafficAlerts()).stream().map(TollJson::readLowTrafficAlert))
                .as("low-traffic alerts received by the operators' topic subscriber")
                .containsExactlyInAnyOrderElementsOf(oracle.lowTrafficAlerts());
        Map<String, Map<YearMonth, Long>> expectedTotals = new TreeMap<>();
        for (Oracle.MonthlyTotal total : oracle.monthlyTotals()) {
            expectedTotals
                    .computeIfAbsent(total.customerId(), customer -> new TreeMap<>())
                    .put(total.month(), total.totalCents());
        }
        assertThat(output.monthlyTotals())
                .as("month-to-date totals in the ledger")
                .isEqualTo(expectedTotals);
        assertRejectedAsTheOracleSays(output.rejected(), oracle, day, deadLetters);
        assertThat(output.failedBatches())
                .as("batches given up by the event source mappings")
                .isEmpty();
        assertWarehouseMatchesOracle(output, oracle, deadLetters);
    }

    /**
     * The warehouse: its passages view is exactly the oracle's distinct valid passages, and its
     * table holds every sighting of them, re-sent duplicates included (more where a forwarder
     * retried: Firehose's delivery is at-least-once too).
     */
    static void assertWarehouseMatchesOracle(LocalPipeline.Output output, Oracle.Result oracle, DeadLetters delivery) {
        assertThat(output.warehouse()).as("the run's warehouse").isPresent();
        LocalWarehouse.Output warehouse = output.warehouse().get();
        assertThat(warehouse.objectsFailed())
                .as("archive objects that did not load")
                .isZero();
        assertThat(warehouse.passages())
                .as("the warehouse's passages view")
                .containsExactlyInAnyOrderElementsOf(oracle.passages());
        if (delivery == DeadLetters.EXACTLY_ONCE) {
            assertThat(warehouse.sightingsOfPassages())
                    .as("rows of passages in the warehouse table")
                    .isEqualTo(oracle.distinctPassages() + oracle.duplicates());
        } else {
            assertThat(warehouse.sightingsOfPassages())
                    .as("rows of passages in the warehouse table")
                    .isGreaterThanOrEqualTo(oracle.distinctPassages() + oracle.duplicates());
        }
    }

    /**
     * Every record a correct pipeline refuses is kept exactly once (by its SHA-256), with its
     * reason, by the stage that refused it: the producer for one over Kinesis' limit, the job for
     * a malformed one; and what a dead letter keeps of the record is the record or a prefix of it.
     */
    static void assertRejectedAsTheOracleSays(
            List<String> rejected, Oracle.Result oracle, Simulation day, DeadLetters deadLetters) throws Exception {
        Map<String, Emission> refusable = new HashMap<>();
        for (Emission emission : day.emissions()) {
            if (emission.kind() == Emission.Kind.MALFORMED || emission.kind() == Emission.Kind.OVERSIZED) {
                refusable.put(DeadLetter.of(emission.data(), "").sha256(), emission);
            }
        }
        assertThat(refusable).hasSize((int) (oracle.malformed() + oracle.rejectedByProducer()));
        for (String json : rejected) {
            JsonNode letter = JSON.readTree(json);
            Emission record = refusable.get(letter.path("sha256").asText());
            assertThat(record).as("a rejected record that was sent: %s", json).isNotNull();
            assertThat(letter.path("reason").asText()).as(json).isNotBlank();
            assertThat(letter.path("length").asInt()).isEqualTo(record.data().length);
            assertThat(letter.path("rejectedBy").asText())
                    .isEqualTo(record.kind() == Emission.Kind.OVERSIZED ? "producer" : "analytics");
            byte[] kept = letter.has("raw")
                    ? letter.path("raw").asText().getBytes(StandardCharsets.UTF_8)
                    : Base64.getDecoder().decode(letter.path("rawBase64").asText());
            assertThat(record.data()).startsWith(kept);
            assertThat(kept.length == record.data().length)
                    .isNotEqualTo(letter.path("truncated").asBoolean());
        }
        List<String> digests = RejectedRecords.digests(rejected);
        if (deadLetters == DeadLetters.EXACTLY_ONCE) {
            assertThat(digests).as("rejected records").containsExactlyInAnyOrderElementsOf(refusable.keySet());
        } else {
            assertThat(digests).as("rejected records").hasSameElementsAs(refusable.keySet());
        }
    }

    static List<String> bodies(List<TopicQueues.Received> messages) {
        return messages.stream().map(TopicQueues.Received::body).toList();
    }
}
