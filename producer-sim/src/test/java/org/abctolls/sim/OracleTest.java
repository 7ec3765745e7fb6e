package org.abctolls.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.abctolls.domain.BillingThresholdAlert;
import org.abctolls.domain.Customer;
import org.abctolls.domain.LowTrafficAlert;
import org.abctolls.domain.Station;
import org.abctolls.domain.StationThreshold;
import org.abctolls.domain.StationThresholds;
import org.abctolls.domain.ThresholdSlot;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TollJson;
import org.abctolls.domain.VehicleClass;
import org.junit.jupiter.api.Test;

/** A run small enough to check by hand, on Wednesday 2026-11-18 in UTC. */
class OracleTest {

    private static String passage(String id, String station, String customer, int cents, String time) {
        return TollJson.write(new TollEvent(
                id,
                station,
                1,
                "T" + customer.substring(1),
                customer,
                VehicleClass.CAR,
                cents,
                Instant.parse("2026-11-18T" + time + "Z")));
    }

    /** When these tests read their records: after every event time they use. */
    private static final Instant LATEST_ACCEPTABLE = Instant.parse("2027-01-01T00:05:00Z");

    private static List<Emission> arrivals(String... records) {
        return Stream.of(records)
                .map(record -> Emission.of(record, "S0001", Instant.EPOCH, Emission.Kind.PASSAGE))
                .toList();
    }

    private static Oracle.Result compute(
            List<Emission> arrivals, List<Station> stations, StationThresholds thresholds, List<Customer> customers) {
        return Oracle.compute(arrivals, stations, thresholds, customers, Duration.ofSeconds(60), LATEST_ACCEPTABLE);
    }

    @Test
    void billsEveryDistinctPassageCountsOnlyOnTimeOnesAndAlertsOnSilentStations() {
        String e2 = passage("e2", "S0001", "C0000001", 275, "14:02:00");
        List<Emission> arrivals = arrivals(
                passage("e1", "S0001", "C0000001", 275, "14:01:00"),
                e2,
                e2, // a producer retry: the same passage again
                passage("e3", "S0001", "C0000002", 100, "14:31:00"),
                "oops, not json",
                passage("e4", "S0001", "C0000002", 100, "14:40:00"),
                passage("e5", "S0001", "C0000002", 100, "15:05:00"),
                // 15:05 - 60 s has passed the 14:30 window's end: late for the station, still billed.
                passage("e6", "S0001", "C0000002", 100, "14:35:00"));
        List<Station> stations = List.of(
                new Station("S0001", "Riverside Plaza", ZoneId.of("UTC")),
                new Station("S0002", "Lakeshore Gate", ZoneId.of("UTC")));
        StationThresholds thresholds = new StationThresholds(List.of(
                threshold("S0001", 14, 0, 3),
                threshold("S0001", 14, 30, 2),
                threshold("S0002", 14, 0, 1),
                threshold("S0002", 14, 30, 1)));
        List<Customer> customers =
                List.of(new Customer("C0000001", OptionalLong.of(500)), new Customer("C0000002", OptionalLong.empty()));

        Oracle.Result result = compute(arrivals, stations, thresholds, customers);

        assertThat(result.monthlyTotals())
                .containsExactly(
                        new Oracle.MonthlyTotal("C0000001", YearMonth.of(2026, 11), 550),
                        new Oracle.MonthlyTotal("C0000002", YearMonth.of(2026, 11), 400));
        assertThat(result.billingAlerts())
                .containsExactly(new BillingThresholdAlert(
                        "C0000001", YearMonth.of(2026, 11), 500, 550, Instant.parse("2026-11-18T14:10:00Z")));
        assertThat(result.lowTrafficAlerts())
                .containsExactly(
                        alert("S0001", "14:00", "14:30", 2, 3),
                        alert("S0002", "14:00", "14:30", 0, 1),
                        alert("S0002", "14:30", "15:00", 0, 1));
        assertThat(result.records()).isEqualTo(8);
        assertThat(result.distinctPassages()).isEqualTo(6);
        assertThat(result.duplicates()).isEqualTo(1);
        assertThat(result.malformed()).isEqualTo(1);
        assertThat(result.lateForStations()).isEqualTo(1);
    }

    @Test
    void monthToDateStartsAgainEachMonthAndAlertsOncePerMonth() {
        List<Emission> arrivals = arrivals(
                TollJson.write(new TollEvent(
                        "n1",
                        "S0001",
                        1,
                        "T0000001",
                        "C0000001",
                        VehicleClass.CAR,
                        600,
                        Instant.parse("2026-11-30T23:55:00Z"))),
                TollJson.write(new TollEvent(
                        "d1",
                        "S0001",
                        1,
                        "T0000001",
                        "C0000001",
                        VehicleClass.CAR,
                        400,
                        Instant.parse("2026-12-01T00:05:00Z"))),
                TollJson.write(new TollEvent(
                        "d2",
                        "S0001",
                        1,
                        "T0000001",
                        "C0000001",
                        VehicleClass.CAR,
                        200,
                        Instant.parse("2026-12-01T00:15:00Z"))));

        Oracle.Result result = compute(
                arrivals,
                List.of(new Station("S0001", "Riverside Plaza", ZoneId.of("UTC"))),
                new StationThresholds(List.of()),
                List.of(new Customer("C0000001", OptionalLong.of(500))));

        assertThat(result.billingAlerts())
                .containsExactly(
                        new BillingThresholdAlert(
                                "C0000001", YearMonth.of(2026, 11), 500, 600, Instant.parse("2026-12-01T00:00:00Z")),
                        new BillingThresholdAlert(
                                "C0000001", YearMonth.of(2026, 12), 500, 600, Instant.parse("2026-12-01T00:20:00Z")));
    }

    @Test
    void aHostileWorldsRecordsAreRejectedOrBilledOnceAsTheContractSays() {
        String first = passage("e1", "S0001", "C0000001", 275, "14:01:00");
        List<Emission> arrivals = new ArrayList<>(arrivals(
                first,
                // A broken clock: beyond the tolerance ahead of the reader, malformed.
                passage("f1", "S0001", "C0000001", 500, "14:02:00").replace("2026-11-18", "2099-06-01"),
                // The same event id with other content: the first sighting is the passage.
                first.replace("275", "280"),
                passage("e2", "S0001", "C0000001", 100, "14:03:00")));
        arrivals.add(new Emission(
                first.replace("e1", "e3").replace("}", ",\"note\":\"Zürich\"}").getBytes(StandardCharsets.ISO_8859_1),
                "S0001",
                Instant.EPOCH,
                Emission.Kind.MALFORMED));
        arrivals.add(Emission.of(
                first.replace("e1", "e4").replace("}", ",\"padding\":\"" + "x".repeat(1024 * 1024) + "\"}"),
                "S0001",
                Instant.EPOCH,
                Emission.Kind.OVERSIZED));

        Oracle.Result result = compute(
                arrivals,
                List.of(new Station("S0001", "Riverside Plaza", ZoneId.of("UTC"))),
                new StationThresholds(List.of()),
                List.of(new Customer("C0000001", OptionalLong.empty())));

        assertThat(result.monthlyTotals())
                .containsExactly(new Oracle.MonthlyTotal("C0000001", YearMonth.of(2026, 11), 375));
        assertThat(result.malformed()).isEqualTo(2);
        assertThat(result.duplicates()).isEqualTo(1);
        assertThat(result.rejectedByProducer()).isEqualTo(1);
        assertThat(result.records()).isEqualTo(6);
    }

    private static StationThreshold threshold(String station, int hour, int minute, int min) {
        return new StationThreshold(station, new ThresholdSlot(DayOfWeek.WEDNESDAY, LocalTime.of(hour, minute)), min);
    }

    private static LowTrafficAlert alert(String station, String start, String end, long vehicles, long min) {
        return new LowTrafficAlert(
                station,
                Instant.parse("2026-11-18T" + start + ":00Z"),
                Instant.parse("2026-11-18T" + end + ":00Z"),
                vehicles,
                min);
    }
}
