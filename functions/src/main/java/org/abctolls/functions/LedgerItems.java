package org.abctolls.functions;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.abctolls.domain.ContractViolationException;
import org.abctolls.domain.MonthToDate;
import org.abctolls.domain.TollJson;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** How the billing ledger's items ({@link BillingLedger}) read as the domain's month-to-date state. */
final class LedgerItems {

    private LedgerItems() {}

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
    }

    /** A whole-number attribute the ledger writes; anything else is a corrupt item. */
    static long number(Map<String, AttributeValue> item, String field) {
        AttributeValue value = item.get(field);
        if (value == null || value.n() == null) {
            throw new CorruptLedgerItemException(item, field + " is missing or not a number attribute");
        }
        return wholeNumber(item, field, value.n());
    }

    private static long wholeNumber(Map<String, AttributeValue> item, String field, String number) {
        try {
            return new BigDecimal(number).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new CorruptLedgerItemException(item, field + " " + number + " is not a whole number");
        }
    }

    static MonthToDate.MonthState monthState(Map<String, AttributeValue> item) {
        if (item.isEmpty()) {
            return MonthToDate.MonthState.EMPTY;
        }
        Set<Long> alerted = new TreeSet<>();
        AttributeValue thresholds = item.get("alertedThresholds");
        if (thresholds != null) {
            if (!thresholds.hasNs()) {
                throw new CorruptLedgerItemException(item, "alertedThresholds is not a number set");
            }
            thresholds.ns().forEach(threshold -> alerted.add(wholeNumber(item, "alertedThresholds", threshold)));
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
        if (alerts == null) {
            return pending;
        }
        if (!alerts.hasM()) {
            throw new CorruptLedgerItemException(item, "pendingAlerts is not a map");
        }
        alerts.m().forEach((threshold, alert) -> {
            Map<String, AttributeValue> entry =
                    alert.s() != null ? Map.of(PendingBillingAlerts.ALERT, alert) : alert.m();
            pending.put(threshold, pendingAlert(item, threshold, entry));
        });
        return pending;
    }

    private static Map<String, AttributeValue> pendingAlert(
            Map<String, AttributeValue> item, String threshold, Map<String, AttributeValue> entry) {
        String field = "pendingAlerts." + threshold;
        AttributeValue alert = entry == null ? null : entry.get(PendingBillingAlerts.ALERT);
        if (alert == null || alert.s() == null) {
            throw new CorruptLedgerItemException(item, field + " holds no alert text");
        }
        try {
            TollJson.readBillingThresholdAlert(alert.s());
        } catch (ContractViolationException e) {
            throw new CorruptLedgerItemException(item, field + " is not a billing alert: " + e.getMessage());
        }
        AttributeValue attempt = entry.get(PendingBillingAlerts.ATTEMPT);
        if (attempt != null) {
            try {
                Instant.parse(attempt.s() == null ? "" : attempt.s());
            } catch (DateTimeParseException e) {
                throw new CorruptLedgerItemException(
                        item, field + "." + PendingBillingAlerts.ATTEMPT + " is not an instant");
            }
        }
        return entry;
    }
}
