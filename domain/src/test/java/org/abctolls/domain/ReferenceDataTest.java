package org.abctolls.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.io.StringWriter;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReferenceDataTest {

    private static final String STATIONS =
            """
            stationId,name,timeZone
            S0042,Riverside Plaza,America/Chicago
            S0043,"Gate 7, North",Asia/Kolkata
            """;

    private static List<Station> stations(String csv) {
        return ReferenceData.readStations("stations.csv", new StringReader(csv));
    }

    private static List<StationThreshold> thresholds(String csv) {
        return ReferenceData.readStationThresholds("station-thresholds.csv", new StringReader(csv), stations(STATIONS));
    }

    private static List<Customer> customers(String csv) {
        return ReferenceData.readCustomers("customers.csv", new StringReader(csv), unusable -> {
            throw new AssertionError("unexpected unusable threshold: " + unusable.getMessage());
        });
    }

    @Nested
    class Stations {

        @Test
        void readsEveryStationWithItsZone() {
            assertThat(stations(STATIONS))
                    .containsExactly(
                            new Station("S0042", "Riverside Plaza", ZoneId.of("America/Chicago")),
                            new Station("S0043", "Gate 7, North", ZoneId.of("Asia/Kolkata")));
        }

        @Test
        void namesFileLineAndFieldOfABadZoneId() {
            assertThatThrownBy(() -> stations(STATIONS + "S0044,Lakeside,America/Springfield\n"))
                    .isInstanceOf(ReferenceDataException.class)
                    .hasMessage("stations.csv line 4, timeZone: not an IANA time zone id: \"America/Springfield\"");
        }

        @Test
        void anUnclosedQuoteIsAReferenceDataErrorNamingFileAndLine() {
            assertThatThrownBy(() -> stations(STATIONS + "S0044,\"Lakeside,America/Chicago\n"))
                    .isInstanceOf(ReferenceDataException.class)
                    // The line where the parser ran out of file looking for the closing quote.
                    .hasMessage("stations.csv line 5: not valid CSV: Missing closing quote for value");
        }

        @Test
        void aFileCutOffMidRowIsAReferenceDataError() {
            assertThatThrownBy(() -> stations(STATIONS + "S0044,Lakesi"))
                    .isInstanceOf(ReferenceDataException.class)
                    .hasMessage("stations.csv line 4: expected 3 fields [stationId, name, timeZone], found 2");
        }

        @Test
        void aFixedOffsetIsNotAnIanaZone() {
            assertThatThrownBy(() -> stations(STATIONS + "S0044,Lakeside,+05:30\n"))
                    .hasMessageContaining("line 4, timeZone: not an IANA time zone id");
        }

        @Test
        void rejectsADuplicateStation() {
            assertThatThrownBy(() -> stations(STATIONS + "S0042,Again,America/Chicago\n"))
                    .hasMessage("stations.csv line 4, stationId: duplicate station S0042 (first on line 2)");
        }

        @Test
        void rejectsABadStationId() {
            assertThatThrownBy(() -> stations(STATIONS + "42,Lakeside,America/Chicago\n"))
                    .hasMessage("stations.csv line 4, stationId: must be S followed by 4 digits, was \"42\"");
        }

        @Test
        void rejectsAWrongHeader() {
            assertThatThrownBy(() -> stations("id,name,zone\nS0042,Riverside Plaza,America/Chicago\n"))
                    .hasMessage("stations.csv line 1: expected a header naming each of [stationId, name, timeZone] "
                            + "once, found [id, name, zone]");
            assertThatThrownBy(() -> stations("stationId,name,timeZone,name\nS0042,A,America/Chicago,B\n"))
                    .hasMessageContaining("expected a header naming each of [stationId, name, timeZone] once");
        }

        /** Spreadsheets save UTF-8 with a byte order mark. */
        @Test
        void readsAFileThatStartsWithAByteOrderMark() {
            assertThat(stations("\uFEFF" + STATIONS)).isEqualTo(stations(STATIONS));
        }

        @Test
        void findsColumnsByNameInAnyOrderAndIgnoresColumnsOfItsOwn() {
            assertThat(
                            stations(
                                    """
                            timeZone,stationId,note,name
                            America/Chicago,S0042,opened 1998,Riverside Plaza
                            Asia/Kolkata,S0043,,"Gate 7, North"
                            """))
                    .isEqualTo(stations(STATIONS));
        }

        @Test
        void aRowRepeatedWholeIsTheSameStationOnce() {
            assertThat(stations(STATIONS + "S0042,Riverside Plaza,America/Chicago\n"))
                    .isEqualTo(stations(STATIONS));
        }

        /** As a spreadsheet exports trailing empty columns, and notes of its own. */
        @Test
        void columnsOfTheFilesOwnMayBeUnnamedAndDifferBetweenRepeatedRows() {
            assertThat(
                            stations(
                                    """
                            stationId,name,timeZone,,,note
                            S0042,Riverside Plaza,America/Chicago,,,first
                            S0043,"Gate 7, North",Asia/Kolkata,,,
                            S0042,Riverside Plaza,America/Chicago,,,again
                            """))
                    .isEqualTo(stations(STATIONS));
        }

        @Test
        void rejectsARowWithTooFewFields() {
            assertThatThrownBy(() -> stations(STATIONS + "S0044,Lakeside\n"))
                    .hasMessage("stations.csv line 4: expected 3 fields [stationId, name, timeZone], found 2");
        }

        @Test
        void rejectsAnEmptyFile() {
            assertThatThrownBy(() -> stations("")).hasMessageStartingWith("stations.csv line 1: empty file");
        }
    }

    @Nested
    class Thresholds {

        @Test
        void looksUpTheMinimumBySlotAndHasNoneForAMissingRow() {
            StationThresholds lookup = new StationThresholds(
                    thresholds(
                            """
                    stationId,dayOfWeek,slotStart,minVehicles
                    S0042,WEDNESDAY,14:00,100
                    S0042,WEDNESDAY,14:30,0
                    """));

            assertThat(lookup.minVehicles("S0042", new ThresholdSlot(DayOfWeek.WEDNESDAY, LocalTime.of(14, 0))))
                    .isEqualTo(OptionalInt.of(100));
            assertThat(lookup.minVehicles("S0042", new ThresholdSlot(DayOfWeek.WEDNESDAY, LocalTime.of(14, 30))))
                    .isEqualTo(OptionalInt.of(0));
            assertThat(lookup.minVehicles("S0042", new ThresholdSlot(DayOfWeek.WEDNESDAY, LocalTime.of(15, 0))))
                    .isEmpty();
            assertThat(lookup.minVehicles("S0043", new ThresholdSlot(DayOfWeek.WEDNESDAY, LocalTime.of(14, 0))))
                    .isEmpty();
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(
                delimiterString = "|",
                value = {
                    "S0099,WEDNESDAY,14:00,100 | stationId: unknown station S0099 (not in stations.csv)",
                    "S0042,Wednesday,14:00,100 | dayOfWeek: must be one of [MONDAY, TUESDAY",
                    "S0042,WEDNESDAY,14:15,100 | slotStart: must be HH:00 or HH:30 (24-hour), was \"14:15\"",
                    "S0042,WEDNESDAY,24:00,100 | slotStart: must be HH:00 or HH:30",
                    "S0042,WEDNESDAY,2:00,100 | slotStart: must be HH:00 or HH:30",
                    "S0042,WEDNESDAY,14:00,-5 | minVehicles: must not be negative, was -5",
                    "S0042,WEDNESDAY,14:00,ten | minVehicles: must be a whole number, was \"ten\"",
                    "S0042,WEDNESDAY,14:00,1.5 | minVehicles: must be a whole number",
                    "S0042,WEDNESDAY,14:00,99999999999 | minVehicles: must be at most 2147483647",
                })
        void namesFileLineAndFieldOfABadRow(String row, String expected) {
            String csv = "stationId,dayOfWeek,slotStart,minVehicles\nS0042,MONDAY,08:00,10\n" + row + "\n";

            assertThatThrownBy(() -> thresholds(csv))
                    .isInstanceOf(ReferenceDataException.class)
                    .hasMessageStartingWith("station-thresholds.csv line 3, " + expected);
        }

        @Test
        void rejectsADuplicateSlot() {
            assertThatThrownBy(
                            () -> thresholds(
                                    """
                            stationId,dayOfWeek,slotStart,minVehicles
                            S0042,WEDNESDAY,14:00,100

                            S0042,WEDNESDAY,14:00,90
                            """))
                    .isInstanceOf(ReferenceDataException.class)
                    .hasMessage("station-thresholds.csv line 4, stationId+dayOfWeek+slotStart: "
                            + "duplicate threshold for S0042 WEDNESDAY 14:00 (first on line 2)");
        }
    }

    @Test
    void whatIsWrittenReadsBackTheSame() {
        List<Station> stations = stations(STATIONS);
        List<StationThreshold> thresholds =
                List.of(new StationThreshold("S0043", new ThresholdSlot(DayOfWeek.SUNDAY, LocalTime.of(1, 30)), 12));
        List<Customer> customers = List.of(
                new Customer("C0000123", OptionalLong.of(5000)), new Customer("C0000124", OptionalLong.empty()));
        StringWriter stationsCsv = new StringWriter();
        StringWriter thresholdsCsv = new StringWriter();
        StringWriter customersCsv = new StringWriter();

        ReferenceData.writeStations(stationsCsv, stations);
        ReferenceData.writeStationThresholds(thresholdsCsv, thresholds);
        ReferenceData.writeCustomers(customersCsv, customers);

        assertThat(stationsCsv.toString()).isEqualTo(STATIONS);
        assertThat(thresholdsCsv.toString())
                .isEqualTo("stationId,dayOfWeek,slotStart,minVehicles\nS0043,SUNDAY,01:30,12\n");
        assertThat(thresholds(thresholdsCsv.toString())).isEqualTo(thresholds);
        assertThat(customers(customersCsv.toString())).isEqualTo(customers);
    }

    @Nested
    class Customers {

        @Test
        void readsThresholdsAndCustomersWithoutOne() {
            assertThat(
                            customers(
                                    """
                            customerId,monthlyThresholdCents
                            C0000123,5000
                            C0000124,
                            C0000125,0
                            """))
                    .containsExactly(
                            new Customer("C0000123", OptionalLong.of(5000)),
                            new Customer("C0000124", OptionalLong.empty()),
                            new Customer("C0000125", OptionalLong.of(0)));
        }

        /** As the billing function reads such a threshold in DynamoDB: billed, never alerted. */
        @Test
        void aThresholdIsReadAsTheBillingFunctionReadsItAndOneThatIsNoneIsReported() {
            List<String> reported = new ArrayList<>();

            List<Customer> customers = ReferenceData.readCustomers(
                    "customers.csv",
                    new StringReader(
                            """
                            customerId,monthlyThresholdCents
                            C0000123,-1
                            C0000124,12.5
                            C0000125,ten
                            C0000126,1e30
                            C0000127,700
                            C0000128,+700
                            C0000129,5e3
                            C0000130,700.0
                            """),
                    unusable -> reported.add(unusable.getMessage()));

            assertThat(customers)
                    .containsExactly(
                            new Customer("C0000123", OptionalLong.empty()),
                            new Customer("C0000124", OptionalLong.empty()),
                            new Customer("C0000125", OptionalLong.empty()),
                            new Customer("C0000126", OptionalLong.empty()),
                            new Customer("C0000127", OptionalLong.of(700)),
                            new Customer("C0000128", OptionalLong.of(700)),
                            new Customer("C0000129", OptionalLong.of(5000)),
                            new Customer("C0000130", OptionalLong.of(700)));
            assertThat(reported)
                    .containsExactly(
                            "customers.csv line 2, monthlyThresholdCents: is negative, was \"-1\"",
                            "customers.csv line 3, monthlyThresholdCents: is not a whole number of cents, was \"12.5\"",
                            "customers.csv line 4, monthlyThresholdCents: is not a whole number of cents, was \"ten\"",
                            "customers.csv line 5, monthlyThresholdCents: is not a whole number of cents, was \"1e30\"");
        }

        @Test
        void rejectsADuplicateCustomer() {
            assertThatThrownBy(() -> customers("customerId,monthlyThresholdCents\nC0000123,1\nC0000123,2\n"))
                    .hasMessage("customers.csv line 3, customerId: duplicate customer C0000123 (first on line 2)");
        }

        @Test
        void rejectsABadCustomerId() {
            assertThatThrownBy(() -> customers("customerId,monthlyThresholdCents\nC123,1\n"))
                    .hasMessage("customers.csv line 2, customerId: must be C followed by 7 digits, was \"C123\"");
        }
    }
}
