package org.abctolls.functions;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.abctolls.domain.MonthToDate;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** How the billing ledger's items ({@link BillingLedger}) read as the domain's month-to-date state. */
final class LedgerItems {

    private LedgerItems() {}

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
    }

    static long number(Map<String, AttributeValue> item, String field) {
        return Long.parseLong(item.get(field).n());
    }

    static MonthToDate.MonthState monthState(Map<String, AttributeValue> item) {
        if (item.isEmpty()) {
            return MonthToDate.MonthState.EMPTY;
        }
        Set<Long> alerted = new TreeSet<>();
        AttributeValue thresholds = item.get("alertedThresholds");
        if (thresholds != null && thresholds.hasNs()) {
            thresholds.ns().forEach(threshold -> alerted.add(Long.parseLong(threshold)));
        }
        return new MonthToDate.MonthState(number(item, "totalCents"), alerted);
    }

    /**
     * Each pending alert by threshold: its JSON and, once a publish was attempted, when the first
     * one was. An older ledger kept the JSON alone: read as never attempted.
     */
    static Map<String, Map<String, AttributeValue>> pendingAlerts(Map<String, AttributeValue> item) {
        Map<String, Map<String, AttributeValue>> pending = new HashMap<>();
        AttributeValue alerts = item.get("pendingAlerts");
        if (alerts != null && alerts.hasM()) {
            alerts.m()
                    .forEach((threshold, alert) -> pending.put(
                            threshold, alert.s() != null ? Map.of(PendingBillingAlerts.ALERT, alert) : alert.m()));
        }
        return pending;
    }
}
