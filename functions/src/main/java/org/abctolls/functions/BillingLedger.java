package org.abctolls.functions;

import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.abctolls.domain.BillingMonth;
import org.abctolls.domain.CustomerWindowTotal;
import org.abctolls.domain.MonthToDate;
import org.abctolls.domain.TollJson;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Applies customer window totals to month-to-date totals in DynamoDB exactly once, and
 * sends each threshold crossing exactly once as far as SNS allows.
 *
 * <p>The ledger table (partition key {@code pk}, sort key {@code sk}) holds, per customer:
 * <ul>
 *   <li>{@code WINDOW#<windowStart>}: the revision applied and its total, expiring 35 days
 *       after the window (far beyond any revision the analytics job can still emit);
 *   <li>{@code MONTH#<yyyy-MM>}: the month-to-date total, the thresholds already alerted, the
 *       alerts not yet published ({@code pendingAlerts}) and a {@code version} for
 *       optimistic locking.
 * </ul>
 *
 * <p>Both items change in one transaction, each conditioned on the state it was read in, so
 * a concurrent or repeated delivery either changes nothing or retries from a fresh read. A
 * crossing is recorded as a pending alert in that same transaction, published after it, and
 * then cleared: if the function dies in between, the redelivered record finds the window
 * already applied but the alert still pending, and publishes it then. Only a death between
 * the publish and the clear can repeat a notification (a FIFO topic deduplicates even that).
 */
public class BillingLedger {

    /** What applying one window total did. */
    public record Outcome(boolean applied, int alertsPublished) {}

    private static final int MAX_ATTEMPTS = 5;
    private static final String PK = "pk";
    private static final String SK = "sk";
    private static final String MONTH = "MONTH#";

    private final DynamoDbClient dynamoDb;
    private final String ledgerTable;
    private final String customersTable;
    private final CustomerNotifications notifications;

    public BillingLedger(
            DynamoDbClient dynamoDb, String ledgerTable, String customersTable, CustomerNotifications notifications) {
        this.dynamoDb = dynamoDb;
        this.ledgerTable = ledgerTable;
        this.customersTable = customersTable;
        this.notifications = notifications;
    }

    public Outcome apply(CustomerWindowTotal total) {
        YearMonth month = BillingMonth.of(total.windowStart());
        Map<String, AttributeValue> windowKey = key(total.customerId(), "WINDOW#" + total.windowStart());
        Map<String, AttributeValue> monthKey = key(total.customerId(), MONTH + month);
        OptionalLong threshold = threshold(total.customerId());
        for (int attempt = 1; ; attempt++) {
            List<Map<String, AttributeValue>> items = dynamoDb
                    .transactGetItems(request -> request.transactItems(get(windowKey), get(monthKey)))
                    .responses()
                    .stream()
                    .map(response -> response.hasItem() ? response.item() : Map.<String, AttributeValue>of())
                    .toList();
            Map<String, AttributeValue> window = items.get(0);
            Map<String, AttributeValue> monthItem = items.get(1);
            Optional<MonthToDate.WindowEntry> previous = window.isEmpty()
                    ? Optional.empty()
                    : Optional.of(new MonthToDate.WindowEntry(
                            (int) number(window, "revision"), number(window, "totalCents")));
            MonthToDate.Outcome outcome = MonthToDate.apply(total, previous, monthState(monthItem), threshold);
            if (outcome instanceof MonthToDate.AlreadyApplied) {
                return new Outcome(false, publishPending(monthKey, pendingAlerts(monthItem)));
            }
            MonthToDate.Apply apply = (MonthToDate.Apply) outcome;
            Map<String, String> pending = new HashMap<>(pendingAlerts(monthItem));
            apply.alert().ifPresent(alert -> pending.put(Long.toString(alert.thresholdCents()), TollJson.write(alert)));
            try {
                dynamoDb.transactWriteItems(request -> request.transactItems(
                        putWindow(windowKey, total, apply.entry(), window),
                        putMonth(monthKey, apply.month(), pending, monthItem)));
            } catch (TransactionCanceledException e) {
                if (attempt < MAX_ATTEMPTS && onlyConditionsFailed(e)) {
                    continue;
                }
                throw e;
            }
            return new Outcome(true, publishPending(monthKey, pending));
        }
    }

    private OptionalLong threshold(String customerId) {
        Map<String, AttributeValue> customer = dynamoDb.getItem(request ->
                        request.tableName(customersTable).key(Map.of("customerId", AttributeValue.fromS(customerId))))
                .item();
        AttributeValue threshold = customer == null ? null : customer.get("monthlyThresholdCents");
        return threshold == null || threshold.n() == null
                ? OptionalLong.empty()
                : OptionalLong.of(Long.parseLong(threshold.n()));
    }

    /** Publishes each pending alert, then clears it; an alert cleared meanwhile by another delivery stays cleared. */
    private int publishPending(Map<String, AttributeValue> monthKey, Map<String, String> pending) {
        int published = 0;
        for (Map.Entry<String, String> alert : pending.entrySet()) {
            notifications.publish(TollJson.readBillingThresholdAlert(alert.getValue()));
            published++;
            try {
                dynamoDb.updateItem(request -> request.tableName(ledgerTable)
                        .key(monthKey)
                        .updateExpression("REMOVE pendingAlerts.#threshold")
                        .conditionExpression("attribute_exists(pendingAlerts.#threshold)")
                        .expressionAttributeNames(Map.of("#threshold", alert.getKey())));
            } catch (ConditionalCheckFailedException alreadyCleared) {
                // A concurrent delivery of the same record published and cleared it first.
            }
        }
        return published;
    }

    private TransactWriteItem putWindow(
            Map<String, AttributeValue> key,
            CustomerWindowTotal total,
            MonthToDate.WindowEntry entry,
            Map<String, AttributeValue> read) {
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put("revision", AttributeValue.fromN(Integer.toString(entry.revision())));
        item.put("totalCents", AttributeValue.fromN(Long.toString(entry.totalCents())));
        item.put("passages", AttributeValue.fromN(Long.toString(total.passages())));
        item.put("windowEnd", AttributeValue.fromS(total.windowEnd().toString()));
        item.put(
                "expiresAt",
                AttributeValue.fromN(Long.toString(
                        total.windowEnd().plus(35, ChronoUnit.DAYS).getEpochSecond())));
        return TransactWriteItem.builder()
                .put(unchangedSinceRead(item, read, "revision"))
                .build();
    }

    private TransactWriteItem putMonth(
            Map<String, AttributeValue> key,
            MonthToDate.MonthState month,
            Map<String, String> pending,
            Map<String, AttributeValue> read) {
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put("totalCents", AttributeValue.fromN(Long.toString(month.totalCents())));
        long version = read.isEmpty() ? 1 : number(read, "version") + 1;
        item.put("version", AttributeValue.fromN(Long.toString(version)));
        if (!month.alertedThresholdsCents().isEmpty()) {
            item.put(
                    "alertedThresholds",
                    AttributeValue.fromNs(month.alertedThresholdsCents().stream()
                            .map(Object::toString)
                            .toList()));
        }
        Map<String, AttributeValue> pendingItem = new HashMap<>();
        pending.forEach((threshold, alert) -> pendingItem.put(threshold, AttributeValue.fromS(alert)));
        item.put("pendingAlerts", AttributeValue.fromM(pendingItem));
        item.put("updatedAt", AttributeValue.fromS(Instant.now().toString()));
        return TransactWriteItem.builder()
                .put(unchangedSinceRead(item, read, "version"))
                .build();
    }

    /** A put that succeeds only if the item is still as read: absent, or with the same value of {@code field}. */
    private Put unchangedSinceRead(Map<String, AttributeValue> item, Map<String, AttributeValue> read, String field) {
        Put.Builder put = Put.builder().tableName(ledgerTable).item(item);
        if (read.isEmpty()) {
            return put.conditionExpression("attribute_not_exists(pk)").build();
        }
        return put.conditionExpression("#field = :read")
                .expressionAttributeNames(Map.of("#field", field))
                .expressionAttributeValues(Map.of(":read", read.get(field)))
                .build();
    }

    private static boolean onlyConditionsFailed(TransactionCanceledException e) {
        return e.hasCancellationReasons()
                && e.cancellationReasons().stream()
                        .map(CancellationReason::code)
                        .allMatch(code -> code.equals("None") || code.equals("ConditionalCheckFailed"));
    }

    private TransactGetItem get(Map<String, AttributeValue> key) {
        return TransactGetItem.builder()
                .get(get -> get.tableName(ledgerTable).key(key))
                .build();
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, AttributeValue.fromS(pk), SK, AttributeValue.fromS(sk));
    }

    private static long number(Map<String, AttributeValue> item, String field) {
        return Long.parseLong(item.get(field).n());
    }

    private static MonthToDate.MonthState monthState(Map<String, AttributeValue> item) {
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

    private static Map<String, String> pendingAlerts(Map<String, AttributeValue> item) {
        Map<String, String> pending = new HashMap<>();
        AttributeValue alerts = item.get("pendingAlerts");
        if (alerts != null && alerts.hasM()) {
            alerts.m().forEach((threshold, alert) -> pending.put(threshold, alert.s()));
        }
        return pending;
    }

    /** The month-to-date totals of a customer's months, for reports and checks. */
    public Map<YearMonth, Long> monthlyTotals(String customerId) {
        Map<YearMonth, Long> totals = new HashMap<>();
        dynamoDb.queryPaginator(request -> request.tableName(ledgerTable)
                        .keyConditionExpression("pk = :customer AND begins_with(sk, :month)")
                        .expressionAttributeValues(Map.of(
                                ":customer", AttributeValue.fromS(customerId), ":month", AttributeValue.fromS(MONTH)))
                        .consistentRead(true))
                .items()
                .forEach(item -> totals.put(
                        YearMonth.parse(item.get(SK).s().substring(MONTH.length())), number(item, "totalCents")));
        return totals;
    }

    /** Every customer's month-to-date totals by customer id, read with a full scan: for reports and checks. */
    public static Map<String, Map<YearMonth, Long>> monthlyTotalsOfEveryCustomer(
            DynamoDbClient dynamoDb, String ledgerTable) {
        Map<String, Map<YearMonth, Long>> totals = new TreeMap<>();
        dynamoDb.scanPaginator(request -> request.tableName(ledgerTable)
                        .filterExpression("begins_with(sk, :month)")
                        .expressionAttributeValues(Map.of(":month", AttributeValue.fromS(MONTH)))
                        .consistentRead(true))
                .items()
                .forEach(item -> totals.computeIfAbsent(item.get(PK).s(), customer -> new TreeMap<>())
                        .put(YearMonth.parse(item.get(SK).s().substring(MONTH.length())), number(item, "totalCents")));
        return totals;
    }
}
