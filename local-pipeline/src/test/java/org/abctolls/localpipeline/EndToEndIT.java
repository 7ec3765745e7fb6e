package org.abctolls.localpipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.abctolls.domain.TumblingWindow;
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

        LocalPipeline.Output output =
                Replay.run(aws, TEMPLATE, ReplayInput.read(input), WATERMARK_BOUND, TIMEOUT, progress -> {});

        assertMatchesOracle(output, oracle, day, OracleComparison.Delivery.EXACTLY_ONCE);
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
     * The outputs are exactly the oracle's ({@link OracleComparison}: the alerts, the month
     * totals, the refused records, no batch given up, the warehouse), and the run had a warehouse.
     *
     * @param delivery how often a refused record and a passage's warehouse row may appear
     */
    static void assertMatchesOracle(
            LocalPipeline.Output output, Oracle.Result oracle, Simulation day, OracleComparison.Delivery delivery) {
        assertThat(output.warehouse()).as("the run's warehouse").isPresent();
        assertThat(OracleComparison.of(output, oracle, day.emissions(), delivery)
                        .differences())
                .as("how the outputs differ from the oracle's")
                .isEmpty();
    }
}
