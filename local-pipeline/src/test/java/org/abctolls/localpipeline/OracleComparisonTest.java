package org.abctolls.localpipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.abctolls.domain.DeadLetter;
import org.abctolls.domain.TollJson;
import org.abctolls.domain.TumblingWindow;
import org.abctolls.localkit.TopicQueues;
import org.abctolls.sim.Emission;
import org.abctolls.sim.Generator;
import org.abctolls.sim.Oracle;
import org.abctolls.sim.Simulation;
import org.abctolls.sim.SimulationOptions;
import org.junit.jupiter.api.Test;

class OracleComparisonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Simulation DAY = Generator.generate(SimulationOptions.defaults()
            .withSeed(7)
            .withTraffic(SimulationOptions.DEFAULT_START, Duration.ofHours(6), 4, 60, 60)
            .withScenarios(SimulationOptions.Scenarios.ALL.withHostile(true)));
    private static final Oracle.Result ORACLE = Oracle.of(DAY, TumblingWindow.DEFAULT_WATERMARK_BOUND);

    /** What a correct run outputs: the oracle's alerts and totals, each record to refuse once by its stage. */
    private static LocalPipeline.Output exact(List<String> rejected) {
        Map<String, Map<YearMonth, Long>> totals = new TreeMap<>();
        ORACLE.monthlyTotals().forEach(total -> totals.computeIfAbsent(total.customerId(), customer -> new TreeMap<>())
                .put(total.month(), total.totalCents()));
        return new LocalPipeline.Output(
                ORACLE.billingAlerts().stream()
                        .map(alert -> new TopicQueues.Received(TollJson.write(alert), Instant.EPOCH))
                        .toList(),
                ORACLE.lowTrafficAlerts().stream()
                        .map(alert -> new TopicQueues.Received(TollJson.write(alert), Instant.EPOCH))
                        .toList(),
                totals,
                rejected,
                List.of(),
                AlertLatency.Summary.of(List.of()),
                AlertLatency.Summary.of(List.of()),
                Optional.empty(),
                AlertLatency.Summary.of(List.of()));
    }

    private static List<String> deadLettersOfEveryRecordToRefuse() {
        List<String> letters = new ArrayList<>();
        for (Emission emission : DAY.emissions()) {
            if (emission.kind() == Emission.Kind.MALFORMED || emission.kind() == Emission.Kind.OVERSIZED) {
                letters.add(withStage(
                        DeadLetter.of(emission.data(), "refused").toJson(DeadLetter.FIREHOSE_RECORD_LIMIT),
                        emission.kind() == Emission.Kind.OVERSIZED ? "producer" : "analytics"));
            }
        }
        return letters;
    }

    private static String withStage(String json, String stage) {
        try {
            ObjectNode letter = (ObjectNode) JSON.readTree(json);
            return letter.put("rejectedBy", stage).toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theOraclesOwnOutputsAreExactlyTheOracles() {
        assertThat(DAY.emissions()).anyMatch(emission -> emission.kind() == Emission.Kind.OVERSIZED);
        assertThat(ORACLE.billingAlerts()).isNotEmpty();

        OracleComparison comparison = OracleComparison.of(
                exact(deadLettersOfEveryRecordToRefuse()),
                ORACLE,
                DAY.emissions(),
                OracleComparison.Delivery.EXACTLY_ONCE);

        assertThat(comparison.differences()).isEmpty();
        assertThat(comparison.same()).isTrue();
    }

    @Test
    void aMissingAlertAndAnExtraTotalAreNamed() {
        LocalPipeline.Output exact = exact(deadLettersOfEveryRecordToRefuse());
        Map<String, Map<YearMonth, Long>> totals = new TreeMap<>(exact.monthlyTotals());
        totals.put("C9999999", Map.of(YearMonth.of(2026, 11), 1L));
        LocalPipeline.Output output = new LocalPipeline.Output(
                exact.billingAlerts().subList(1, exact.billingAlerts().size()),
                exact.lowTrafficAlerts(),
                totals,
                exact.rejected(),
                exact.failedBatches(),
                exact.billingLatency(),
                exact.lowTrafficLatency(),
                exact.warehouse(),
                exact.warehouseLatency());

        OracleComparison comparison =
                OracleComparison.of(output, ORACLE, DAY.emissions(), OracleComparison.Delivery.EXACTLY_ONCE);

        assertThat(comparison.same()).isFalse();
        assertThat(comparison.differences())
                .containsExactlyInAnyOrder(
                        "billing alerts: missing: " + ORACLE.billingAlerts().get(0),
                        "customer-month totals: unexpected: C9999999 2026-11 1");
    }

    @Test
    void aRecordRefusedTwiceDiffersOnlyWhereEachMustBeRefusedOnce() {
        List<String> twice = new ArrayList<>(deadLettersOfEveryRecordToRefuse());
        twice.add(twice.get(0));

        assertThat(OracleComparison.rejected(twice, ORACLE, DAY.emissions(), OracleComparison.Delivery.EXACTLY_ONCE)
                        .differences())
                .singleElement()
                .asString()
                .startsWith("unexpected: ");
        assertThat(OracleComparison.rejected(twice, ORACLE, DAY.emissions(), OracleComparison.Delivery.AT_LEAST_ONCE)
                        .differences())
                .isEmpty();
    }

    @Test
    void aDeadLetterFromTheWrongStageWithoutItsReasonOrItsLengthOrWithNothingOfItsRecordIsNamed() {
        List<String> letters = new ArrayList<>(deadLettersOfEveryRecordToRefuse());
        assertThat(letters).hasSizeGreaterThanOrEqualTo(4);
        int byAnalytics = 0;
        while (!letters.get(byAnalytics).contains("\"rejectedBy\":\"analytics\"")) {
            byAnalytics++;
        }
        List<Integer> others = new ArrayList<>();
        for (int i = 0; others.size() < 3; i++) {
            if (i != byAnalytics) {
                others.add(i);
            }
        }
        letters.set(byAnalytics, letters.get(byAnalytics).replace("\"analytics\"", "\"functions\""));
        letters.set(others.get(0), edit(letters.get(others.get(0)), letter -> letter.put("reason", " ")));
        letters.set(others.get(1), edit(letters.get(others.get(1)), letter -> letter.put("length", 1)));
        letters.set(others.get(2), edit(letters.get(others.get(2)), letter -> {
            letter.remove("raw");
            letter.remove("rawBase64");
            letter.put("truncated", true);
        }));

        assertThat(OracleComparison.rejected(letters, ORACLE, DAY.emissions(), OracleComparison.Delivery.EXACTLY_ONCE)
                        .differences())
                .hasSize(4)
                .allMatch(difference -> difference.startsWith("a dead letter that does not describe its record"));
    }

    private static String edit(String json, Consumer<ObjectNode> change) {
        try {
            ObjectNode letter = (ObjectNode) JSON.readTree(json);
            change.accept(letter);
            return letter.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aBatchGivenUpAndAWarehouseThatLacksAPassageAreNamedAndRowsMayRepeatOnlyAtLeastOnce() {
        LocalPipeline.Output exact = exact(deadLettersOfEveryRecordToRefuse());
        long rows = ORACLE.distinctPassages() + ORACLE.duplicates();
        LocalWarehouse.Output lacking = new LocalWarehouse.Output(
                "run",
                List.of(new WarehouseLoader.Load("raw/1.gz", 10, 0, null)),
                ORACLE.passages().subList(1, ORACLE.passages().size()),
                Map.of(),
                rows + 1);
        LocalPipeline.Output output = new LocalPipeline.Output(
                exact.billingAlerts(),
                exact.lowTrafficAlerts(),
                exact.monthlyTotals(),
                exact.rejected(),
                List.of("{\"shard\":\"shardId-000000000000\"}"),
                exact.billingLatency(),
                exact.lowTrafficLatency(),
                Optional.of(lacking),
                exact.warehouseLatency());

        assertThat(OracleComparison.of(output, ORACLE, DAY.emissions(), OracleComparison.Delivery.EXACTLY_ONCE)
                        .differences())
                .containsExactlyInAnyOrder(
                        "batches given up: given up: {\"shard\":\"shardId-000000000000\"}",
                        "warehouse passages: missing: " + ORACLE.passages().get(0),
                        "warehouse rows: rows of passages, re-sent duplicates included: " + (rows + 1) + ", not "
                                + rows);
        assertThat(OracleComparison.of(output, ORACLE, DAY.emissions(), OracleComparison.Delivery.AT_LEAST_ONCE)
                        .differences())
                .hasSize(2)
                .noneMatch(difference -> difference.startsWith("warehouse rows"));
    }

    @Test
    void anArchiveObjectThatDidNotLoadIsNamed() {
        LocalPipeline.Output exact = exact(deadLettersOfEveryRecordToRefuse());
        LocalWarehouse.Output failed = new LocalWarehouse.Output(
                "run",
                List.of(new WarehouseLoader.Load("raw/1.gz", 0, 0, "not gzip")),
                ORACLE.passages(),
                Map.of(),
                ORACLE.distinctPassages() + ORACLE.duplicates());
        LocalPipeline.Output output = new LocalPipeline.Output(
                exact.billingAlerts(),
                exact.lowTrafficAlerts(),
                exact.monthlyTotals(),
                exact.rejected(),
                exact.failedBatches(),
                exact.billingLatency(),
                exact.lowTrafficLatency(),
                Optional.of(failed),
                exact.warehouseLatency());

        assertThat(OracleComparison.of(output, ORACLE, DAY.emissions(), OracleComparison.Delivery.EXACTLY_ONCE)
                        .differences())
                .containsExactly("archive objects: 1 archive objects did not load");
    }

    @Test
    void aRecordNeverRefusedIsMissing() {
        List<String> letters = new ArrayList<>(deadLettersOfEveryRecordToRefuse());
        letters.remove(0);

        assertThat(OracleComparison.rejected(letters, ORACLE, DAY.emissions(), OracleComparison.Delivery.AT_LEAST_ONCE)
                        .differences())
                .singleElement()
                .asString()
                .startsWith("missing: ");
    }
}
