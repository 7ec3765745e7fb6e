package org.abctolls.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TollJsonTest {

    /** The example of contract section 1, byte for byte. */
    static final String CONTRACT_EXAMPLE =
            "{\"eventId\":\"7f1c2a4e-1b7e-4a5e-9a43-0d5e2b8c1f10\",\"stationId\":\"S0042\","
                    + "\"laneId\":3,\"transceiverId\":\"T0000123\",\"customerId\":\"C0000123\",\"vehicleClass\":\"CAR\","
                    + "\"amountCents\":275,\"eventTime\":\"2026-11-18T14:03:07.250Z\"}";

    /** When these tests read records: after every event time they use, as a transceiver's clock would be. */
    static final Instant LATEST_ACCEPTABLE = TollEventRules.latestAcceptableEventTime(
            Instant.parse("2026-11-26T12:00:00Z"), TollEventRules.DEFAULT_FUTURE_TOLERANCE);

    static final TollEvent CONTRACT_EVENT = new TollEvent(
            "7f1c2a4e-1b7e-4a5e-9a43-0d5e2b8c1f10",
            "S0042",
            3,
            "T0000123",
            "C0000123",
            VehicleClass.CAR,
            275,
            Instant.parse("2026-11-18T14:03:07.250Z"));

    /** The contract's instants are read digit by digit; each must equal what {@code Instant.parse} reads. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-11-18T14:03:07Z",
                "2026-11-18T14:03:07.2Z",
                "2026-11-18T14:03:07.25Z",
                "2026-11-18T14:03:07.250Z",
                "2026-11-18T14:03:07.009Z",
                "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999Z",
                "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999Z",
                "2028-02-29T12:00:00Z",
                "2026-11-18T23:59:59.999Z"
            })
    void aContractInstantIsReadAsInstantParseReadsIt(String text) {
        assertThat(ContractInstant.parse(text)).isEqualTo(Instant.parse(text));
    }

    /**
     * Dates and times that do not exist, hour 24 (the next midnight to {@code Instant.parse}) and
     * a 60th second (a leap second to it, also on a day that had none) among them.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-02-29T12:00:00Z",
                "2026-02-30T12:00:00Z",
                "2026-00-10T12:00:00Z",
                "2026-13-10T12:00:00Z",
                "2026-11-00T12:00:00Z",
                "2026-11-31T12:00:00Z",
                "2026-11-18T24:00:00Z",
                "2026-11-30T24:00:00.000Z",
                "2026-11-18T23:60:00Z",
                "2026-11-18T23:59:60Z",
                "2026-12-31T23:59:60.500Z",
                "2016-12-31T23:59:60Z",
                "2026-11-18T23:59:61Z"
            })
    void aDateOrTimeThatDoesNotExistIsNotRead(String text) {
        assertThatThrownBy(() -> ContractInstant.parse(text)).isInstanceOf(DateTimeException.class);
    }

    @Nested
    class ValidTollEvents {

        @Test
        void parsesTheContractExample() {
            assertThat(TollJson.parseTollEvent(CONTRACT_EXAMPLE, LATEST_ACCEPTABLE))
                    .isEqualTo(new TollEventParseResult.Valid(CONTRACT_EVENT));
        }

        @Test
        void writesExactlyTheContractFieldsInOrder() {
            assertThat(TollJson.write(CONTRACT_EVENT)).isEqualTo(CONTRACT_EXAMPLE);
        }

        @Test
        void ignoresOptionalFieldsAProducerAdds() {
            String withExtra = CONTRACT_EXAMPLE.replace("}", ",\"firmware\":\"2.1\"}");

            assertThat(TollJson.parseTollEvent(withExtra, LATEST_ACCEPTABLE))
                    .isEqualTo(new TollEventParseResult.Valid(CONTRACT_EVENT));
        }

        @Test
        void acceptsAnEventTimeWithoutFractionOfSecondAndTheBoundaryValues() {
            String json = CONTRACT_EXAMPLE
                    .replace("\"laneId\":3", "\"laneId\":32")
                    .replace("\"amountCents\":275", "\"amountCents\":100000")
                    .replace("14:03:07.250Z", "14:03:07Z");

            TollEvent event = valid(json);

            assertThat(event.laneId()).isEqualTo(32);
            assertThat(event.amountCents()).isEqualTo(100_000);
            assertThat(event.eventTime()).isEqualTo(Instant.parse("2026-11-18T14:03:07Z"));
        }

        @Test
        void acceptsAnEventIdOfExactly64Characters() {
            String eventId = "e".repeat(64);

            assertThat(valid(CONTRACT_EXAMPLE.replace("7f1c2a4e-1b7e-4a5e-9a43-0d5e2b8c1f10", eventId))
                            .eventId())
                    .isEqualTo(eventId);
        }

        @Test
        void readsUtf8Bytes() {
            assertThat(TollJson.parseTollEvent(CONTRACT_EXAMPLE.getBytes(StandardCharsets.UTF_8), LATEST_ACCEPTABLE))
                    .isEqualTo(new TollEventParseResult.Valid(CONTRACT_EVENT));
        }

        private TollEvent valid(String json) {
            TollEventParseResult result = TollJson.parseTollEvent(json, LATEST_ACCEPTABLE);
            assertThat(result).isInstanceOf(TollEventParseResult.Valid.class);
            return ((TollEventParseResult.Valid) result).event();
        }
    }

    @Nested
    class MalformedTollEvents {

        static Stream<Arguments> brokenFields() {
            return Stream.of(
                    broken(
                            "\"eventId\":\"7f1c2a4e-1b7e-4a5e-9a43-0d5e2b8c1f10\"",
                            "\"eventId\":\"\"",
                            "eventId must not be empty"),
                    broken(
                            "\"eventId\":\"7f1c2a4e-1b7e-4a5e-9a43-0d5e2b8c1f10\"",
                            "\"eventId\":\"" + "e".repeat(65) + "\"",
                            "eventId must be at most 64 characters, was 65"),
                    broken(
                            "\"eventId\":\"7f1c2a4e-1b7e-4a5e-9a43-0d5e2b8c1f10\"",
                            "\"eventId\":42",
                            "eventId must be a string"),
                    broken(
                            "\"eventId\":\"7f1c2a4e-1b7e-4a5e-9a43-0d5e2b8c1f10\"",
                            "\"eventId\":\"a\\ud800b\"",
                            "eventId must be Unicode text, but holds half of a surrogate pair (\\uD800)"),
                    broken(
                            "\"eventId\":\"7f1c2a4e-1b7e-4a5e-9a43-0d5e2b8c1f10\"",
                            "\"eventId\":\"a\\udc00\"",
                            "eventId must be Unicode text, but holds half of a surrogate pair (\\uDC00)"),
                    broken(
                            "\"stationId\":\"S0042\"",
                            "\"stationId\":\"S42\"",
                            "stationId must be S followed by 4 digits"),
                    broken(
                            "\"stationId\":\"S0042\"",
                            "\"stationId\":\"s0042\"",
                            "stationId must be S followed by 4 digits"),
                    broken(
                            "\"stationId\":\"S0042\"",
                            "\"stationId\":\"S00421\"",
                            "stationId must be S followed by 4 digits"),
                    broken(
                            "\"stationId\":\"S0042\"",
                            "\"stationId\":\"S\u0660\u0664\u0662\u0661\"",
                            "stationId must be S followed by 4 digits"),
                    broken(
                            "\"stationId\":\"S0042\"",
                            "\"stationId\":\"S00/2\"",
                            "stationId must be S followed by 4 digits"),
                    broken(
                            "\"customerId\":\"C0000123\"",
                            "\"customerId\":\"C000012:\"",
                            "customerId must be C followed by 7 digits"),
                    broken("\"laneId\":3", "\"laneId\":0", "laneId must be between 1 and 32, was 0"),
                    broken("\"laneId\":3", "\"laneId\":33", "laneId must be between 1 and 32, was 33"),
                    broken("\"laneId\":3", "\"laneId\":\"3\"", "laneId must be a whole number, was string"),
                    broken("\"laneId\":3", "\"laneId\":3.5", "laneId must be a whole number"),
                    broken("\"laneId\":3", "\"laneId\":3.0", "laneId must be a whole number"),
                    broken("\"laneId\":3", "\"laneId\":99999999999999999999", "laneId is out of range"),
                    broken(
                            "\"transceiverId\":\"T0000123\"",
                            "\"transceiverId\":\"T123\"",
                            "transceiverId must be T followed by 7 digits"),
                    broken(
                            "\"customerId\":\"C0000123\"",
                            "\"customerId\":\"X0000123\"",
                            "customerId must be C followed by 7 digits"),
                    broken(
                            "\"vehicleClass\":\"CAR\"",
                            "\"vehicleClass\":\"SUV\"",
                            "vehicleClass must be one of [MOTORCYCLE, CAR"),
                    broken("\"vehicleClass\":\"CAR\"", "\"vehicleClass\":\"car\"", "vehicleClass must be one of"),
                    broken(
                            "\"amountCents\":275",
                            "\"amountCents\":-1",
                            "amountCents must be between 0 and 100000, was -1"),
                    broken(
                            "\"amountCents\":275",
                            "\"amountCents\":100001",
                            "amountCents must be between 0 and 100000, was 100001"),
                    broken("\"amountCents\":275", "\"amountCents\":2.75", "amountCents must be a whole number"),
                    broken(
                            "2026-11-18T14:03:07.250Z",
                            "2026-11-18T14:03:07.250",
                            "eventTime must be an ISO-8601 UTC instant"),
                    broken(
                            "2026-11-18T14:03:07.250Z",
                            "2026-11-18T14:03:07.250+00:00",
                            "eventTime must be an ISO-8601 UTC instant"),
                    broken(
                            "2026-11-18T14:03:07.250Z",
                            "2026-11-18T14:03:07.250123Z",
                            "eventTime must be an ISO-8601 UTC instant"),
                    broken("2026-11-18T14:03:07.250Z", "2026-02-30T14:03:07Z", "eventTime is not a real date and time"),
                    broken("2026-11-18T14:03:07.250Z", "2026-11-30T24:00:00Z", "eventTime is not a real date and time"),
                    broken("2026-11-18T14:03:07.250Z", "2026-11-18T23:59:60Z", "eventTime is not a real date and time"),
                    broken(
                            "2026-11-18T14:03:07.250Z",
                            "2026-11-18T14:03:07.Z",
                            "eventTime must be an ISO-8601 UTC instant"),
                    broken(
                            "2026-11-18T14:03:07.250Z",
                            "2026-11-18T14:03:07.2500Z",
                            "eventTime must be an ISO-8601 UTC instant"),
                    broken(
                            "2026-11-18T14:03:07.250Z",
                            "2026-11-18T14:03:07.250z",
                            "eventTime must be an ISO-8601 UTC instant"),
                    broken(
                            "2026-11-18T14:03:07.250Z",
                            "2026-11-18t14:03:07.250Z",
                            "eventTime must be an ISO-8601 UTC instant"),
                    broken(
                            "2026-11-18T14:03:07.250Z",
                            "2026-11-18T14:03:0٧.250Z",
                            "eventTime must be an ISO-8601 UTC instant"),
                    broken(
                            "2026-11-18T14:03:07.250Z",
                            "+2026-11-18T14:03:07Z",
                            "eventTime must be an ISO-8601 UTC instant"),
                    broken("2026-11-18T14:03:07.250Z", "1763474587250", "eventTime must be an ISO-8601 UTC instant"),
                    broken(
                            "\"eventTime\":\"2026-11-18T14:03:07.250Z\"",
                            "\"eventTime\":1763474587250",
                            "eventTime must be a string"),
                    broken("\"customerId\":\"C0000123\"", "\"customerId\":null", "customerId is required"));
        }

        private static Arguments broken(String original, String replacement, String expectedReason) {
            return Arguments.of(CONTRACT_EXAMPLE.replace(original, replacement), expectedReason);
        }

        @ParameterizedTest(name = "{1}")
        @MethodSource("brokenFields")
        void namesTheFieldAndWhyItIsWrong(String raw, String expectedReason) {
            assertThat(TollJson.parseTollEvent(raw, LATEST_ACCEPTABLE)).isEqualTo(malformed(raw, reasonOf(raw)));
            assertThat(reasonOf(raw)).contains(expectedReason);
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "eventId",
                    "stationId",
                    "laneId",
                    "transceiverId",
                    "customerId",
                    "vehicleClass",
                    "amountCents",
                    "eventTime"
                })
        void reportsEachMissingRequiredField(String field) {
            String raw = CONTRACT_EXAMPLE
                    .replaceFirst("\"" + field + "\":(\"[^\"]*\"|[0-9]+),?", "")
                    .replace(",}", "}");

            assertThat(reasonOf(raw)).isEqualTo(field + " is required");
        }

        @Test
        void reportsEveryViolationOfARecordNotJustTheFirst() {
            String raw =
                    CONTRACT_EXAMPLE.replace("\"laneId\":3", "\"laneId\":0").replace("S0042", "S42");

            assertThat(reasonOf(raw))
                    .isEqualTo("stationId must be S followed by 4 digits, was \"S42\"; "
                            + "laneId must be between 1 and 32, was 0");
        }

        @Test
        void keepsTheRawRecordUnchanged() {
            String raw = "  {\"eventId\": 1}  ";

            assertThat(TollJson.parseTollEvent(raw, LATEST_ACCEPTABLE))
                    .isInstanceOfSatisfying(TollEventParseResult.Malformed.class, m -> {
                        assertThat(m.raw()).isEqualTo(raw.getBytes(StandardCharsets.UTF_8));
                    });
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "   ", "not json", "{\"eventId\":", "[1,2]", "\"text\"", "42", "null"})
        void rejectsWhatIsNotOneJsonObject(String raw) {
            assertThat(reasonOf(raw)).matches("not valid JSON: .+|not a JSON object: .+");
        }

        @Test
        void rejectsADuplicateField() {
            String raw = CONTRACT_EXAMPLE.replace("}", ",\"amountCents\":1}");

            assertThat(reasonOf(raw)).startsWith("not valid JSON: Duplicate field 'amountCents'");
        }

        @Test
        void rejectsADuplicateFieldThatIsNotTheEvents() {
            String raw = CONTRACT_EXAMPLE.replace("}", ",\"note\":1,\"note\":2}");

            assertThat(reasonOf(raw)).startsWith("not valid JSON: Duplicate field 'note'");
        }

        @Test
        void acceptsFieldsThatAreNotTheEventsWhateverTheyHold() {
            String raw = CONTRACT_EXAMPLE.replace(
                    "}", ",\"gateway\":{\"id\":[1,2.5,{\"eventId\":7}],\"ok\":true},\"seen\":null}");

            assertThat(TollJson.parseTollEvent(raw, LATEST_ACCEPTABLE)).isInstanceOf(TollEventParseResult.Valid.class);
        }

        @Test
        void namesAnObjectOrAnArrayWhereTheEventHasAString() {
            assertThat(reasonOf(CONTRACT_EXAMPLE.replace("\"CAR\"", "{\"name\":\"CAR\"}")))
                    .isEqualTo("vehicleClass must be a string, was object \"{\"name\":\"CAR\"}\"");
            assertThat(reasonOf(CONTRACT_EXAMPLE.replace("\"S0042\"", "[\"S0042\"]")))
                    .isEqualTo("stationId must be a string, was array \"[\"S0042\"]\"");
        }

        @Test
        void rejectsContentCutShortAfterTheEventsLastField() {
            String raw = CONTRACT_EXAMPLE.substring(0, CONTRACT_EXAMPLE.length() - 1) + ",\"note\":";

            assertThat(reasonOf(raw)).startsWith("not valid JSON: ");
        }

        @Test
        void rejectsTrailingContentAfterTheObject() {
            assertThat(reasonOf(CONTRACT_EXAMPLE + " {}")).startsWith("not valid JSON: ");
        }

        @Test
        void rejectsBytesThatAreNotUtf8() {
            byte[] raw = {'{', (byte) 0xC3, (byte) 0x28, '}'};

            assertThat(TollJson.parseTollEvent(raw, LATEST_ACCEPTABLE))
                    .isInstanceOfSatisfying(TollEventParseResult.Malformed.class, m -> assertThat(m.reason())
                            .startsWith("not valid UTF-8"));
        }

        @Test
        void rejectsAnEventStampedFurtherAheadOfTheReadingClockThanTheTolerance() {
            Instant readAt = Instant.parse("2026-11-18T14:00:00Z");
            Instant latest = TollEventRules.latestAcceptableEventTime(readAt, Duration.ofMinutes(5));
            String atTheTolerance = CONTRACT_EXAMPLE.replace("2026-11-18T14:03:07.250Z", "2026-11-18T14:05:00Z");
            String beyondIt = CONTRACT_EXAMPLE.replace("2026-11-18T14:03:07.250Z", "2026-11-18T14:05:00.001Z");
            String brokenClock = CONTRACT_EXAMPLE.replace("2026-11-18T14:03:07.250Z", "2099-06-01T12:00:00Z");

            assertThat(TollJson.parseTollEvent(atTheTolerance, latest)).isInstanceOf(TollEventParseResult.Valid.class);
            assertThat(TollJson.parseTollEvent(beyondIt, latest))
                    .isInstanceOfSatisfying(TollEventParseResult.Malformed.class, m -> assertThat(m.reason())
                            .isEqualTo("eventTime must not be ahead of the reading clock by more than the tolerance,"
                                    + " was 2026-11-18T14:05:00.001Z (latest acceptable 2026-11-18T14:05:00Z)"));
            assertThat(TollJson.parseTollEvent(brokenClock.getBytes(StandardCharsets.UTF_8), latest))
                    .isInstanceOfSatisfying(TollEventParseResult.Malformed.class, m -> assertThat(m.reason())
                            .startsWith("eventTime must not be ahead of the reading clock"));
        }

        /** Records read from a stream are bytes: the same verdict and reason as for their text. */
        @ParameterizedTest(name = "{1}")
        @MethodSource("brokenFields")
        void aBrokenFieldIsJudgedFromTheRecordsBytesAsFromItsText(String raw, String expectedReason) {
            assertThat(TollJson.parseTollEvent(raw.getBytes(StandardCharsets.UTF_8), LATEST_ACCEPTABLE))
                    .isEqualTo(TollJson.parseTollEvent(raw, LATEST_ACCEPTABLE));
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "",
                    "   ",
                    " \t\r\n",
                    "not json",
                    "{\"eventId\":",
                    "[1,2]",
                    "\"text\"",
                    "42",
                    "null",
                    "{} {}",
                    "{\"laneId\":1,\"laneId\":2}",
                    "{\"eventId\":\"a\u0001b\"}"
                })
        void whatIsNotOneJsonObjectIsJudgedFromTheRecordsBytesAsFromItsText(String raw) {
            assertThat(TollJson.parseTollEvent(raw.getBytes(StandardCharsets.UTF_8), LATEST_ACCEPTABLE))
                    .isEqualTo(TollJson.parseTollEvent(raw, LATEST_ACCEPTABLE))
                    .isInstanceOf(TollEventParseResult.Malformed.class);
        }

        /** The contract's records are UTF-8: JSON in UTF-16 or UTF-32 is not read as a passage. */
        @ParameterizedTest
        @ValueSource(strings = {"UTF-16BE", "UTF-16LE", "UTF-16", "UTF-32BE", "UTF-32LE"})
        void aValidEventInAnotherUnicodeEncodingIsMalformed(String encoding) {
            byte[] raw = CONTRACT_EXAMPLE.getBytes(java.nio.charset.Charset.forName(encoding));

            assertThat(TollJson.parseTollEvent(raw, LATEST_ACCEPTABLE))
                    .isInstanceOfSatisfying(TollEventParseResult.Malformed.class, m -> assertThat(m.raw())
                            .isEqualTo(raw));
        }

        @Test
        void keepsTheBytesOfARecordThatIsNotUtf8() {
            byte[] raw = CONTRACT_EXAMPLE.replace("S0042", "S\u00e9").getBytes(StandardCharsets.ISO_8859_1);
            raw[raw.length - 2] = (byte) 0xFF;

            assertThat(TollJson.parseTollEvent(raw, LATEST_ACCEPTABLE))
                    .isInstanceOfSatisfying(TollEventParseResult.Malformed.class, m -> assertThat(m.raw())
                            .isEqualTo(raw));
        }

        @Test
        void cutsShortAHugeBadValueInTheReason() {
            String raw = CONTRACT_EXAMPLE.replace("S0042", "S" + "9".repeat(10_000));

            assertThat(reasonOf(raw)).hasSizeLessThan(120);
        }

        private static String reasonOf(String raw) {
            TollEventParseResult result = TollJson.parseTollEvent(raw, LATEST_ACCEPTABLE);
            assertThat(result).isInstanceOf(TollEventParseResult.Malformed.class);
            return ((TollEventParseResult.Malformed) result).reason();
        }

        private static TollEventParseResult malformed(String raw, String reason) {
            return new TollEventParseResult.Malformed(raw, reason);
        }
    }

    @Nested
    class OutputRecords {

        @Test
        void customerWindowTotalMatchesTheContract() {
            String json = "{\"customerId\":\"C0000123\",\"windowStart\":\"2026-11-18T14:00:00Z\","
                    + "\"windowEnd\":\"2026-11-18T14:10:00Z\",\"totalCents\":550,\"passages\":2,\"revision\":0}";
            CustomerWindowTotal total = new CustomerWindowTotal(
                    "C0000123",
                    Instant.parse("2026-11-18T14:00:00Z"),
                    Instant.parse("2026-11-18T14:10:00Z"),
                    550,
                    2,
                    0);

            assertThat(TollJson.write(total)).isEqualTo(json);
            assertThat(TollJson.readCustomerWindowTotal(json)).isEqualTo(total);
        }

        @Test
        void aLatePassageBilledAloneCarriesItsEventIdAsAnOptionalField() {
            CustomerWindowTotal late = CustomerWindowTotal.latePassage(CONTRACT_EVENT);
            String json = "{\"customerId\":\"C0000123\",\"windowStart\":\"2026-11-18T14:00:00Z\","
                    + "\"windowEnd\":\"2026-11-18T14:10:00Z\",\"totalCents\":275,\"passages\":1,\"revision\":0,"
                    + "\"latePassageEventId\":\"7f1c2a4e-1b7e-4a5e-9a43-0d5e2b8c1f10\"}";

            assertThat(TollJson.write(late)).isEqualTo(json);
            assertThat(TollJson.readCustomerWindowTotal(json)).isEqualTo(late);
            assertThat(late.latePassage()).contains(CONTRACT_EVENT.eventId());
            assertThatThrownBy(() -> TollJson.readCustomerWindowTotal(json.replace("\"passages\":1", "\"passages\":2")))
                    .isInstanceOf(ContractViolationException.class)
                    .hasMessageContaining("a late passage's total has exactly 1 passage");
        }

        @Test
        void billingThresholdAlertMatchesTheContract() {
            String json = "{\"type\":\"BILLING_THRESHOLD\",\"customerId\":\"C0000123\",\"month\":\"2026-11\","
                    + "\"thresholdCents\":5000,\"monthToDateCents\":5125,\"crossedInWindowEnd\":\"2026-11-18T14:10:00Z\"}";
            BillingThresholdAlert alert = new BillingThresholdAlert(
                    "C0000123", YearMonth.of(2026, 11), 5000, 5125, Instant.parse("2026-11-18T14:10:00Z"));

            assertThat(TollJson.write(alert)).isEqualTo(json);
            assertThat(TollJson.readBillingThresholdAlert(json)).isEqualTo(alert);
        }

        @Test
        void lowTrafficAlertMatchesTheContract() {
            String json = "{\"type\":\"LOW_TRAFFIC\",\"stationId\":\"S0042\",\"windowStart\":\"2026-11-18T20:00:00Z\","
                    + "\"windowEnd\":\"2026-11-18T20:30:00Z\",\"vehicles\":37,\"minVehicles\":100}";
            LowTrafficAlert alert = new LowTrafficAlert(
                    "S0042", Instant.parse("2026-11-18T20:00:00Z"), Instant.parse("2026-11-18T20:30:00Z"), 37, 100);

            assertThat(TollJson.write(alert)).isEqualTo(json);
            assertThat(TollJson.readLowTrafficAlert(json)).isEqualTo(alert);
        }

        @Test
        void aSilentStationIsALowTrafficAlertWithZeroVehicles() {
            LowTrafficAlert alert = new LowTrafficAlert(
                    "S0042", Instant.parse("2026-11-18T20:00:00Z"), Instant.parse("2026-11-18T20:30:00Z"), 0, 1);

            assertThat(TollJson.readLowTrafficAlert(TollJson.write(alert))).isEqualTo(alert);
        }

        @Test
        void readingABrokenOutputRecordNamesEveryBadField() {
            String json = "{\"customerId\":\"C123\",\"windowStart\":\"2026-11-18T14:00:00Z\","
                    + "\"windowEnd\":\"yesterday\",\"totalCents\":-5,\"passages\":2}";

            assertThatThrownBy(() -> TollJson.readCustomerWindowTotal(json))
                    .isInstanceOf(ContractViolationException.class)
                    .hasMessage("customerId must be C followed by 7 digits, was \"C123\"; "
                            + "windowEnd must be an ISO-8601 UTC instant like 2026-11-18T14:03:07.250Z, was \"yesterday\"; "
                            + "totalCents must not be negative, was -5; revision is required");
        }

        /** Each would be a ledger key of its own, or a bill no passages could make. */
        @ParameterizedTest(name = "{0}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "2026-11-18T14:10:00Z|2026-11-18T14:00:00Z|5|2|not a 10-minute window aligned to the epoch",
                    "2026-11-18T14:05:00Z|2026-11-18T14:15:00Z|5|2|not a 10-minute window aligned to the epoch",
                    "2026-11-18T14:00:00Z|2026-11-18T14:30:00Z|5|2|not a 10-minute window aligned to the epoch",
                    "2026-11-18T14:00:00Z|2026-11-18T14:10:00Z|0|0|passages must be at least 1, was 0",
                    "2026-11-18T14:00:00Z|2026-11-18T14:10:00Z|200001|2|totalCents 200001 is more than 2 passages can"
                })
        void readingAnInconsistentOutputRecordSaysWhy(
                String windowStart, String windowEnd, long totalCents, long passages, String reason) {
            String json = "{\"customerId\":\"C0000123\",\"windowStart\":\"" + windowStart + "\",\"windowEnd\":\""
                    + windowEnd + "\",\"totalCents\":" + totalCents + ",\"passages\":" + passages
                    + ",\"revision\":0}";

            assertThatThrownBy(() -> TollJson.readCustomerWindowTotal(json))
                    .isInstanceOf(ContractViolationException.class)
                    .hasMessageContaining(reason);
        }

        /** Each would be an alert for a window the job never evaluates, or a threshold no reference file holds. */
        @ParameterizedTest(name = "{0}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "2026-11-18T20:00:01Z|2026-11-18T20:30:00Z|37|100|not a 30-minute window aligned to the epoch",
                    "2026-11-18T20:10:00Z|2026-11-18T20:40:00Z|37|100|not a 30-minute window aligned to the epoch",
                    "2026-11-18T20:00:00Z|2026-11-18T21:00:00Z|37|100|not a 30-minute window aligned to the epoch",
                    "2026-11-18T20:30:00Z|2026-11-18T20:00:00Z|37|100|not a 30-minute window aligned to the epoch",
                    "2026-11-18T20:00:00Z|2026-11-18T20:30:00Z|100000000000|1000000000000000000|"
                            + "minVehicles must be at most 2147483647, was 1000000000000000000"
                })
        void readingAnInconsistentLowTrafficAlertSaysWhy(
                String windowStart, String windowEnd, long vehicles, long minVehicles, String reason) {
            String json = "{\"type\":\"LOW_TRAFFIC\",\"stationId\":\"S0042\",\"windowStart\":\"" + windowStart
                    + "\",\"windowEnd\":\"" + windowEnd + "\",\"vehicles\":" + vehicles + ",\"minVehicles\":"
                    + minVehicles + "}";

            assertThatThrownBy(() -> TollJson.readLowTrafficAlert(json))
                    .isInstanceOf(ContractViolationException.class)
                    .hasMessageContaining(reason);
        }

        @Test
        void readingAnAlertOfAnotherTypeIsRejected() {
            String lowTraffic = TollJson.write(new LowTrafficAlert(
                    "S0042", Instant.parse("2026-11-18T20:00:00Z"), Instant.parse("2026-11-18T20:30:00Z"), 0, 1));

            assertThatThrownBy(() -> TollJson.readBillingThresholdAlert(lowTraffic))
                    .isInstanceOf(ContractViolationException.class)
                    .hasMessageContaining("type must be BILLING_THRESHOLD, was \"LOW_TRAFFIC\"");
        }

        @Test
        void aLowTrafficAlertMustBeBelowItsThreshold() {
            assertThatThrownBy(() -> new LowTrafficAlert(
                            "S0042",
                            Instant.parse("2026-11-18T20:00:00Z"),
                            Instant.parse("2026-11-18T20:30:00Z"),
                            100,
                            100))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not below minVehicles");
        }

        @Test
        void aBillingAlertMustHaveReachedItsThreshold() {
            assertThatThrownBy(() -> new BillingThresholdAlert(
                            "C0000123", YearMonth.of(2026, 11), 5000, 4999, Instant.parse("2026-11-18T14:10:00Z")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has not reached thresholdCents");
        }
    }

    @Test
    void constructingAnEventThatBreaksTheContractFailsWithTheSameReason() {
        assertThatThrownBy(() -> new TollEvent(
                        "e1",
                        "S42",
                        3,
                        "T0000123",
                        "C0000123",
                        VehicleClass.CAR,
                        275,
                        Instant.parse("2026-11-18T14:03:07Z")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stationId must be S followed by 4 digits, was \"S42\"");
        assertThatThrownBy(() -> new TollEvent(
                        "e1",
                        "S0042",
                        3,
                        "T0000123",
                        "C0000123",
                        VehicleClass.CAR,
                        275,
                        Instant.parse("2026-11-18T14:03:07.000001Z")))
                .hasMessageContaining("eventTime must have at most millisecond precision");
    }
}
