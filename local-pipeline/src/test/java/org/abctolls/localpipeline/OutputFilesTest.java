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
import org.abctolls.domain.TollEvent;
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
