package org.abctolls.localpipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.abctolls.domain.BillingThresholdAlert;
import org.abctolls.domain.LowTrafficAlert;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TollJson;
import org.abctolls.domain.VehicleClass;
import org.abctolls.localkit.TopicQueues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFilesTest {

    private static final AlertLatency.Summary NONE =
            new AlertLatency.Summary(0, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    @TempDir
    Path out;

    @Test
    void writesTheMessagesOnePerLineTheTotalsAsCsvAndTheRejectedRecords() throws Exception {
        Map<String, Map<YearMonth, Long>> totals = new TreeMap<>();
        totals.put("C0000001", new TreeMap<>(Map.of(YearMonth.of(2026, 10), 900L, YearMonth.of(2026, 11), 1_250L)));
        totals.put("C0000002", Map.of(YearMonth.of(2026, 11), 275L));
        LocalPipeline.Output output = new LocalPipeline.Output(
                List.of(new TopicQueues.Received("{\"type\":\"BILLING_THRESHOLD\"}", Instant.EPOCH)),
                List.of(
                        new TopicQueues.Received("{\"type\":\"LOW_TRAFFIC\",\"n\":1}", Instant.EPOCH),
                        new TopicQueues.Received("{\"type\":\"LOW_TRAFFIC\",\"n\":2}", Instant.EPOCH)),
                totals,
                List.of("{\"reason\":\"not JSON\",\"raw\":\"x\",\"rejectedBy\":\"analytics\"}"),
                List.of(),
                NONE,
                NONE,
                Optional.of(new LocalWarehouse.Output(
                        "run",
                        List.of(),
                        List.of(new TollEvent(
                                "e-1",
                                "S0001",
                                3,
                                "T0000001",
                                "C0000001",
                                VehicleClass.CAR,
                                275,
                                Instant.parse("2026-11-16T08:00:00Z"))),
                        Map.of(),
                        1)),
                NONE);

        OutputFiles.write(out, output);

        assertThat(out.resolve("billing-alerts.jsonl")).hasContent("{\"type\":\"BILLING_THRESHOLD\"}");
        assertThat(Files.readAllLines(out.resolve("low-traffic-alerts.jsonl"))).hasSize(2);
        assertThat(Files.readAllLines(out.resolve("monthly-totals.csv")))
                .containsExactly(
                        "customerId,month,totalCents",
                        "C0000001,2026-10,900",
                        "C0000001,2026-11,1250",
                        "C0000002,2026-11,275");
        assertThat(out.resolve("rejected.jsonl"))
                .hasContent("{\"reason\":\"not JSON\",\"raw\":\"x\",\"rejectedBy\":\"analytics\"}");
        assertThat(out.resolve("failed-batches.jsonl")).doesNotExist();
        assertThat(Files.readAllLines(out.resolve("warehouse-passages.csv")))
                .containsExactly(
                        "eventId,stationId,laneId,transceiverId,customerId,vehicleClass,amountCents,eventTime",
                        "e-1,S0001,3,T0000001,C0000001,CAR,275,2026-11-16T08:00:00Z");
    }

    /** In the oracle's order, whatever order they arrived in, so that diff compares the files; each as it came. */
    @Test
    void writesTheAlertsInTheOraclesOrderNotInTheOrderTheyArrived() throws Exception {
        List<BillingThresholdAlert> billing = List.of(
                new BillingThresholdAlert(
                        "C0000002", YearMonth.of(2026, 11), 5_000, 5_125, Instant.parse("2026-11-18T14:10:00Z")),
                new BillingThresholdAlert(
                        "C0000001", YearMonth.of(2026, 11), 5_000, 5_050, Instant.parse("2026-11-18T16:10:00Z")),
                new BillingThresholdAlert(
                        "C0000001", YearMonth.of(2026, 10), 5_000, 5_000, Instant.parse("2026-10-30T09:40:00Z")));
        List<LowTrafficAlert> lowTraffic = List.of(
                new LowTrafficAlert(
                        "S0001", Instant.parse("2026-11-18T20:30:00Z"), Instant.parse("2026-11-18T21:00:00Z"), 3, 5),
                new LowTrafficAlert(
                        "S0002", Instant.parse("2026-11-18T20:00:00Z"), Instant.parse("2026-11-18T20:30:00Z"), 0, 5),
                new LowTrafficAlert(
                        "S0001", Instant.parse("2026-11-18T20:00:00Z"), Instant.parse("2026-11-18T20:30:00Z"), 1, 5));
        LocalPipeline.Output output = new LocalPipeline.Output(
                received(billing.stream().map(TollJson::write).toList()),
                received(Stream.concat(
                                Stream.of("not an alert"), lowTraffic.stream().map(TollJson::write))
                        .toList()),
                Map.of(),
                List.of(),
                List.of(),
                NONE,
                NONE,
                Optional.empty(),
                NONE);

        OutputFiles.write(out, output);

        assertThat(Files.readAllLines(out.resolve("billing-alerts.jsonl")))
                .containsExactly(
                        TollJson.write(billing.get(2)), TollJson.write(billing.get(1)), TollJson.write(billing.get(0)));
        assertThat(Files.readAllLines(out.resolve("low-traffic-alerts.jsonl")))
                .containsExactly(
                        TollJson.write(lowTraffic.get(2)),
                        TollJson.write(lowTraffic.get(1)),
                        TollJson.write(lowTraffic.get(0)),
                        "not an alert");
    }

    private static List<TopicQueues.Received> received(List<String> bodies) {
        return bodies.stream()
                .map(body -> new TopicQueues.Received(body, Instant.EPOCH))
                .toList();
    }

    @Test
    void batchesGivenUpAreWrittenTooSoThatAnIncompleteRunShowsWhy() {
        LocalPipeline.Output output = new LocalPipeline.Output(
                List.of(),
                List.of(),
                Map.of(),
                List.of(),
                List.of("{\"requestContext\":{}}"),
                NONE,
                NONE,
                Optional.empty(),
                NONE);

        OutputFiles.write(out, output);

        assertThat(out.resolve("failed-batches.jsonl")).hasContent("{\"requestContext\":{}}");
        assertThat(out.resolve("monthly-totals.csv")).hasContent("customerId,month,totalCents");
    }
}
