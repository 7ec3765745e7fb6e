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
import org.abctolls.domain.DeadLetter;
import org.abctolls.domain.TollJson;
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
    private static final Oracle.Result ORACLE = Oracle.of(DAY, Duration.ofSeconds(60));

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
    void aDeadLetterFromTheWrongStageOrWithoutItsReasonIsNamed() {
        List<String> letters = new ArrayList<>(deadLettersOfEveryRecordToRefuse());
        String byAnalytics = letters.stream()
                .filter(letter -> letter.contains("\"rejectedBy\":\"analytics\""))
                .findFirst()
                .orElseThrow();
        letters.set(letters.indexOf(byAnalytics), byAnalytics.replace("\"analytics\"", "\"functions\""));
        int last = letters.size() - 1;
        assertThat(letters.get(last)).isNotEqualTo(byAnalytics);
        letters.set(last, letters.get(last).replace("\"reason\":\"refused\"", "\"reason\":\" \""));

        assertThat(OracleComparison.rejected(letters, ORACLE, DAY.emissions(), OracleComparison.Delivery.EXACTLY_ONCE)
                        .differences())
                .hasSize(2)
                .allMatch(difference -> difference.startsWith("a dead letter that does not describe its record"));
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
