package org.abctolls.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.abctolls.domain.BillingThresholdAlert;
import org.abctolls.domain.ContractViolationException;
import org.abctolls.domain.MonthToDate;
import org.abctolls.domain.TollJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class LedgerItemsTest {
    private static final String ALERT = TollJson.write(new BillingThresholdAlert(
            "C0000001", YearMonth.of(2026, 11), 1_000, 1_100, Instant.parse("2026-11-18T14:10:00Z")));

    private static Map<String, AttributeValue> month(String attribute, AttributeValue value) {
        Map<String, AttributeValue> item = new HashMap<>(LedgerItems.key("C0000001", "MONTH#2026-11"));
        item.put("totalCents", AttributeValue.fromN("1100"));
        item.put("version", AttributeValue.fromN("3"));
        if (value == null) {
            item.remove(attribute);
        } else {
            item.put(attribute, value);
        }
        return item;
    }

    private static AttributeValue pending(String threshold, AttributeValue entry) {
        return AttributeValue.fromM(Map.of(threshold, entry));
    }

    @Test
    void readsWhatTheLedgerWritesAndAnOlderLedgersPendingAlertAsNeverAttempted() {
        Map<String, AttributeValue> item = month("alertedThresholds", AttributeValue.fromNs(java.util.List.of("1000")));
        item.put(
                "pendingAlerts",
                AttributeValue.fromM(Map.of(
                        "1000",
                        AttributeValue.fromM(Map.of(
                                PendingBillingAlerts.ALERT, AttributeValue.fromS(ALERT),
                                PendingBillingAlerts.ATTEMPT, AttributeValue.fromS("2026-11-18T14:10:05Z"))),
                        "2000",
                        AttributeValue.fromS(ALERT))));

        assertThat(LedgerItems.monthState(item)).isEqualTo(new MonthToDate.MonthState(1_100, Set.of(1_000L)));
        assertThat(LedgerItems.number(item, "version")).isEqualTo(3);
        assertThat(LedgerItems.pendingAlerts(item)).containsOnlyKeys("1000", "2000");
        assertThat(LedgerItems.pendingAlerts(item).get("2000"))
                .isEqualTo(Map.of(PendingBillingAlerts.ALERT, AttributeValue.fromS(ALERT)));
    }

    static Stream<Arguments> corruptMonthItems() {
        return Stream.of(
                Arguments.of(month("totalCents", null), "totalCents is missing or not a number attribute"),
                Arguments.of(
                        month("totalCents", AttributeValue.fromS("1100")),
                        "totalCents is missing or not a number attribute"),
                Arguments.of(month("totalCents", AttributeValue.fromN("1.5")), "totalCents 1.5 is not a whole number"),
                Arguments.of(
                        month("totalCents", AttributeValue.fromN("1e30")), "totalCents 1e30 is not a whole number"),
                Arguments.of(
                        month("alertedThresholds", AttributeValue.fromSs(java.util.List.of("1000"))),
                        "alertedThresholds is not a number set"),
                Arguments.of(
                        month("alertedThresholds", AttributeValue.fromNs(java.util.List.of("1000", "2.5"))),
                        "alertedThresholds 2.5 is not a whole number"));
    }

    @ParameterizedTest
    @MethodSource("corruptMonthItems")
    void aMonthItemTheLedgerCouldNotHaveWrittenIsCorruptAndSaysWhere(Map<String, AttributeValue> item, String problem) {
        assertThatThrownBy(() -> LedgerItems.monthState(item))
                .isInstanceOf(ContractViolationException.class)
                .hasMessage("ledger item (pk C0000001, sk MONTH#2026-11) is corrupt: " + problem);
    }

    static Stream<Arguments> corruptPendingAlerts() {
        return Stream.of(
                Arguments.of(AttributeValue.fromS("1000"), "pendingAlerts is not a map"),
                Arguments.of(pending("1000", AttributeValue.fromN("1")), "pendingAlerts.1000 holds no alert text"),
                Arguments.of(
                        pending("1000", AttributeValue.fromM(Map.of("other", AttributeValue.fromS(ALERT)))),
                        "pendingAlerts.1000 holds no alert text"),
                Arguments.of(
                        pending("1000", AttributeValue.fromS("{\"type\":\"BILLING_THRESHOLD\"}")),
                        "pendingAlerts.1000 is not a billing alert: "),
                Arguments.of(
                        pending(
                                "1000",
                                AttributeValue.fromM(Map.of(
                                        PendingBillingAlerts.ALERT, AttributeValue.fromS(ALERT),
                                        PendingBillingAlerts.ATTEMPT, AttributeValue.fromS("yesterday")))),
                        "pendingAlerts.1000.firstAttemptAt is not an instant"));
    }

    @ParameterizedTest
    @MethodSource("corruptPendingAlerts")
    void aPendingAlertTheLedgerCouldNotHaveWrittenIsCorruptAndSaysWhere(AttributeValue pendingAlerts, String problem) {
        Map<String, AttributeValue> item = month("pendingAlerts", pendingAlerts);

        assertThatThrownBy(() -> LedgerItems.pendingAlerts(item))
                .isInstanceOf(ContractViolationException.class)
                .hasMessageStartingWith("ledger item (pk C0000001, sk MONTH#2026-11) is corrupt: " + problem);
    }
}
