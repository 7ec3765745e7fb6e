package org.abctolls.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one-pass reader may only ever agree with the tree: it accepts a record exactly when the
 * tree reads it as a valid event, and then as the same event. Records are generated from the
 * contract's example by many kinds of damage to its fields and to the record around them.
 */
class OnePassTollEventTest {

    private static final String[][] FIELDS = {
        {"eventId", "\"7f1c2a4e-1b7e-4a5e-9a43-0d5e2b8c1f10\""},
        {"stationId", "\"S0042\""},
        {"laneId", "3"},
        {"transceiverId", "\"T0000123\""},
        {"customerId", "\"C0000123\""},
        {"vehicleClass", "\"CAR\""},
        {"amountCents", "275"},
        {"eventTime", "\"2026-11-18T14:03:07.250Z\""}
    };

    /** Values a field may take instead of its own, valid or not for some field. */
    private static final String[] OTHER_VALUES = {
        "null",
        "true",
        "0",
        "-0",
        "1",
        "32",
        "33",
        "-1",
        "100000",
        "100001",
        "2147483647",
        "2147483648",
        "-2147483649",
        "9223372036854775808",
        "99999999999999999999999",
        "3.0",
        "3e0",
        "1E2",
        "\"3\"",
        "\"\"",
        "\" \"",
        "\"S0042\"",
        "\"S004\"",
        "\"s0042\"",
        "\"T0000123\"",
        "\"C0000123\"",
        "\"C00001234\"",
        "\"\\u0053\\u0030\\u0030\\u0034\\u0032\"",
        "\"VAN\"",
        "\"car\"",
        "\"TRUCK_4PLUS\"",
        "\"2026-11-18T14:03:07Z\"",
        "\"2026-11-18T14:03:07.2505Z\"",
        "\"2026-11-18T14:03:07.250+00:00\"",
        "\"2026-02-30T12:00:00Z\"",
        "\"2099-01-01T00:00:00Z\"",
        "\"2026-12-31T23:59:60Z\"",
        "\"\\ud800\"",
        "\"é\"",
        "\"" + "x".repeat(64) + "\"",
        "\"" + "x".repeat(65) + "\"",
        "{}",
        "[]",
        "{\"eventId\":1}",
        "[1,2]"
    };

    private static final String[] DAMAGED_RECORDS = {
        "",
        " ",
        "null",
        "[]",
        "\"text\"",
        "42",
        "{",
        "}",
        "{}",
        "{\"eventId\"}",
        "{\"eventId\":}",
        "{,}",
        "{\"a\":1,}",
        "{'eventId':'x'}",
        "{\"eventId\":\"x\"} {}",
        "{\"eventId\":\"x\"}]"
    };

    @Test
    void acceptsExactlyWhatTheTreeReadsAsValidAndAsTheSameEvent() {
        Random random = new Random(20261127);
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            String record = damaged(random);
            if (agreesWithTheTree(record)) {
                accepted++;
            }
        }
        // The generator keeps many records valid (a field moved, an unknown one added).
        assertThat(accepted).isGreaterThan(1_000);
    }

    /** Whole events but for one thing each, or valid in an unusual way. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                TollJsonTest.CONTRACT_EXAMPLE,
                "{\"eventId\":\"x\"}",
                "{\"laneId\":3,\"laneId\":3,",
                "{\"extra\":{\"x\":1,\"x\":2},",
                "{\"extra\":[{\"a\":{\"b\":null}}],\"more\":\"}\",",
                "{ \"note\" : \"spaces around\" ,\n\t",
                "{\"eventTime\":\"2026-11-26T12:05:00Z\",\"eventTime\":\"2026-11-26T12:05:00Z\","
            })
    void agreesOnHandPickedRecords(String record) {
        // A record that ends in a comma is completed with the contract's example's fields.
        String whole = record.endsWith(",") ? record + TollJsonTest.CONTRACT_EXAMPLE.substring(1) : record;
        agreesWithTheTree(whole);
        for (String damaged : DAMAGED_RECORDS) {
            agreesWithTheTree(damaged);
            agreesWithTheTree(whole + damaged);
        }
    }

    /** At the future rule's bound and a millisecond past it, and at a leap second long past. */
    @ParameterizedTest
    @ValueSource(strings = {"2026-11-26T12:05:00Z", "2026-11-26T12:05:00.001Z", "2016-12-31T23:59:60Z"})
    void agreesOnEventTimesAtTheEdges(String eventTime) {
        agreesWithTheTree(TollJsonTest.CONTRACT_EXAMPLE.replace("2026-11-18T14:03:07.250Z", eventTime));
    }

    @Test
    void takesAValidEventWrittenUnusually() {
        String example = TollJsonTest.CONTRACT_EXAMPLE;
        for (String record : List.of(
                example.replace("\"eventId\"", "\"event\\u0049d\""),
                example.replace("\"S0042\"", "\"\\u0053\\u0030\\u0030\\u0034\\u0032\""),
                example.replace("\":", "\" :\n\t").replace(",", " , "),
                " \r\n" + example + " \n")) {
            assertThat(agreesWithTheTree(record)).as(shown(record)).isTrue();
        }
    }

    @Test
    void leavesARecordLongerThanJacksonsLongestStringToTheTree() {
        int longest =
                JsonFields.TREE_READER.getFactory().streamReadConstraints().getMaxStringLength();
        String record = TollJsonTest.CONTRACT_EXAMPLE.replace("}", ",\"note\":\"" + "x".repeat(longest + 1) + "\"}");

        assertThat(agreesWithTheTree(record)).isFalse();
    }

    @Test
    void takesTheContractExampleWithItsFieldsInAnyOrderAndUnknownFieldsAnywhere() {
        List<String> entries = new ArrayList<>(entriesOf(FIELDS));
        Collections.reverse(entries);
        entries.add(3, "\"firmware\":{\"version\":[2,1],\"notes\":null}");

        assertThat(onePass("{" + String.join(",", entries) + "}")).isEqualTo(TollJsonTest.CONTRACT_EVENT);
    }

    /** True when the tree reads the record as valid; fails the test where the two disagree. */
    private static boolean agreesWithTheTree(String record) {
        TollEventParseResult tree = TollJson.parseAsTree(record, TollJsonTest.LATEST_ACCEPTABLE);
        TollEvent expected = tree instanceof TollEventParseResult.Valid valid ? valid.event() : null;
        assertThat(onePass(record)).as(shown(record)).isEqualTo(expected);
        assertThat(TollJson.parseTollEvent(record, TollJsonTest.LATEST_ACCEPTABLE))
                .as(shown(record))
                .isEqualTo(tree);
        assertThat(TollJson.parseTollEvent(record.getBytes(StandardCharsets.UTF_8), TollJsonTest.LATEST_ACCEPTABLE))
                .as(shown(record))
                .isEqualTo(tree);
        return expected != null;
    }

    private static TollEvent onePass(String record) {
        return OnePassTollEvent.read(record, TollJsonTest.LATEST_ACCEPTABLE);
    }

    /** The record, cut short to be named in a failure. */
    private static String shown(String record) {
        return record.length() > 200 ? record.substring(0, 200) + "..." : record;
    }

    /** The contract's example with up to three kinds of damage, or none. */
    private static String damaged(Random random) {
        String[][] fields = new String[FIELDS.length][];
        for (int i = 0; i < FIELDS.length; i++) {
            fields[i] = FIELDS[i].clone();
        }
        List<String> entries = new ArrayList<>();
        int damages = random.nextInt(4);
        for (int d = 0; d < damages; d++) {
            String[] field = fields[random.nextInt(fields.length)];
            switch (random.nextInt(4)) {
                case 0 -> field[1] = OTHER_VALUES[random.nextInt(OTHER_VALUES.length)];
                case 1 -> field[1] = null;
                case 2 -> entries.add(quoted(field[0]) + ":" + OTHER_VALUES[random.nextInt(OTHER_VALUES.length)]);
                default -> entries.add(
                        quoted("extra" + random.nextInt(3)) + ":" + OTHER_VALUES[random.nextInt(OTHER_VALUES.length)]);
            }
        }
        for (String[] field : fields) {
            if (field[1] != null) {
                entries.add(quoted(field[0]) + ":" + field[1]);
            }
        }
        if (random.nextBoolean()) {
            Collections.shuffle(entries, random);
        }
        String record = "{" + String.join(random.nextBoolean() ? "," : " , ", entries) + "}";
        return random.nextInt(20) == 0 ? record + DAMAGED_RECORDS[random.nextInt(DAMAGED_RECORDS.length)] : record;
    }

    private static List<String> entriesOf(String[][] fields) {
        List<String> entries = new ArrayList<>();
        for (String[] field : fields) {
            entries.add(quoted(field[0]) + ":" + field[1]);
        }
        return entries;
    }

    private static String quoted(String name) {
        return "\"" + name + "\"";
    }
}
