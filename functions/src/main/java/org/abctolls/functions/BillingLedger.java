package org.abctolls.functions;

import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.abctolls.domain.BillingMonth;
import org.abctolls.domain.Customer;
import org.abctolls.domain.CustomerWindowTotal;
import org.abctolls.domain.MonthToDate;
import org.abctolls.domain.TollJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
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
 *   <li>{@code WINDOW#<windowStart>}: the version applied (passages, revision) and its total,
 *       expiring {@code entriesKept} after the window, or after it was written if that is later
 *       ({@link LedgerExpiry}); {@code WINDOW#<windowStart>#PASSAGE#<eventId>} for a passage
 *       billed alone;
 *   <li>{@code MONTH#<yyyy-MM>}: the month-to-date total, the thresholds already alerted, the
 *       alerts not yet published ({@code pendingAlerts}) and a {@code version} that every write
 *       of the item raises.
 * </ul>
 *
 * <p>Both items change in one transaction, each conditioned on the state it was read in, so
 * a concurrent or repeated delivery either changes nothing or retries from a fresh read. A
 * crossing is recorded as a pending alert in that same transaction; then the time of the
 * first attempt to publish it is recorded, it is published, and cleared. A redelivered record
 * finds the window applied and the alert pending, and publishes it then, but only within
 * {@link PendingBillingAlerts#REPUBLISH_WINDOW} of that first attempt: SNS FIFO drops a repeat of the same
 * deduplication id only for five minutes. A pending alert older than that whose publish may
 * have succeeded (the clear failed, or the function died meanwhile) is cleared without
 * publishing again and counted as unconfirmed; a first attempt that SNS refused outright is
 * forgotten, so the next delivery tries afresh.
 */
public class BillingLedger {
    private static final Logger LOG = LoggerFactory.getLogger(BillingLedger.class);

    /** What applying one window total did. */
    public record Outcome(boolean applied, int alertsPublished, int alertsUnconfirmed, boolean invalidThreshold) {}

    private static final int MAX_ATTEMPTS = 5;
    private static final String MONTH = "MONTH#";
    private static final String ALERT = PendingBillingAlerts.ALERT;

    private final DynamoDbClient dynamoDb;
    private final String ledgerTable;
    private final String customersTable;
    private final PendingBillingAlerts alerts;
    private final LedgerExpiry expiry;
    private final Clock clock;

    /** @param entriesKept how long a window's entry outlives its window ({@link LedgerExpiry}) */
    public BillingLedger(
            DynamoDbClient dynamoDb,
            String ledgerTable,
            String customersTable,
            CustomerNotifications notifications,
            Duration entriesKept) {
        this(dynamoDb, ledgerTable, customersTable, notifications, entriesKept, Clock.systemUTC());
    }

    BillingLedger(
            DynamoDbClient dynamoDb,
            String ledgerTable,
            String customersTable,
            CustomerNotifications notifications,
            Duration entriesKept,
            Clock clock) {
        this.dynamoDb = dynamoDb;
        this.expiry = new LedgerExpiry(entriesKept);
        this.ledgerTable = ledgerTable;
        this.customersTable = customersTable;
        this.alerts = new PendingBillingAlerts(dynamoDb, ledgerTable, notifications, clock);
        this.clock = clock;
    }

    /** A customer's threshold, if they set a usable one. */
    private record Threshold(OptionalLong cents, boolean invalid) {}

    private static Outcome outcome(boolean applied, PendingBillingAlerts.Published alerts, Threshold threshold) {
        return new Outcome(applied, alerts.published(), alerts.unconfirmed(), threshold.invalid());
    }

    public Outcome apply(CustomerWindowTotal total) {
        YearMonth month = BillingMonth.of(total.windowStart());
        String windowSortKey = "WINDOW#" + total.windowStart()
                + total.latePassage().map(eventId -> "#PASSAGE#" + eventId).orElse("");
        Map<String, AttributeValue> windowKey = LedgerItems.key(total.customerId(), windowSortKey);
        Map<String, AttributeValue> monthKey = LedgerItems.key(total.customerId(), MONTH + month);
        Threshold threshold = threshold(total.customerId());
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
                            LedgerItems.number(window, "passages"),
                            (int) LedgerItems.number(window, "revision"),
                            LedgerItems.number(window, "totalCents")));
            MonthToDate.Outcome outcome =
                    MonthToDate.apply(total, previous, LedgerItems.monthState(monthItem), threshold.cents());
            if (outcome instanceof MonthToDate.AlreadyApplied) {
                return outcome(false, alerts.publish(monthKey, LedgerItems.pendingAlerts(monthItem)), threshold);
            }
            MonthToDate.Apply apply = (MonthToDate.Apply) outcome;
            Map<String, Map<String, AttributeValue>> pending = new HashMap<>(LedgerItems.pendingAlerts(monthItem));
            apply.alert()
                    .ifPresent(alert -> pending.put(
                            Long.toString(alert.thresholdCents()),
                            Map.of(ALERT, AttributeValue.fromS(TollJson.write(alert)))));
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
            return outcome(true, alerts.publish(monthKey, pending), threshold);
        }
    }

    /**
     * The customer's {@code monthlyThresholdCents}: a whole number of cents, 0 or more. Anything
     * else (written by another system, or by hand) is no threshold, with a log line naming the
     * customer, never a reason to stop billing them.
     */
    private Threshold threshold(String customerId) {
        Map<String, AttributeValue> customer = dynamoDb.getItem(request ->
                        request.tableName(customersTable).key(Map.of("customerId", AttributeValue.fromS(customerId))))
                .item();
        AttributeValue threshold = customer == null ? null : customer.get("monthlyThresholdCents");
        if (threshold == null || Boolean.TRUE.equals(threshold.nul())) {
            return new Threshold(OptionalLong.empty(), false);
        }
        String problem;
        if (threshold.n() == null) {
            problem = "is not a number attribute";
        } else {
            try {
                return new Threshold(OptionalLong.of(Customer.thresholdCents(threshold.n())), false);
            } catch (IllegalArgumentException unusable) {
                problem = unusable.getMessage();
            }
        }
        LOG.warn("customer {} has a monthlyThresholdCents that {}: billed, not alerted", customerId, problem);
        return new Threshold(OptionalLong.empty(), true);
    }

    private TransactWriteItem putWindow(
            Map<String, AttributeValue> key,
            CustomerWindowTotal total,
            MonthToDate.WindowEntry entry,
            Map<String, AttributeValue> read) {
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put("passages", AttributeValue.fromN(Long.toString(entry.passages())));
        item.put("revision", AttributeValue.fromN(Integer.toString(entry.revision())));
        item.put("totalCents", AttributeValue.fromN(Long.toString(entry.totalCents())));
        item.put("windowEnd", AttributeValue.fromS(total.windowEnd().toString()));
        item.put("expiresAt", expiry.expiresAt(total.windowEnd(), clock.instant()));
        return TransactWriteItem.builder()
                .put(unchangedSinceRead(item, read, "passages", "revision"))
                .build();
    }

    private TransactWriteItem putMonth(
            Map<String, AttributeValue> key,
            MonthToDate.MonthState month,
            Map<String, Map<String, AttributeValue>> pending,
            Map<String, AttributeValue> read) {
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put("totalCents", AttributeValue.fromN(Long.toString(month.totalCents())));
        long version = read.isEmpty() ? 1 : LedgerItems.number(read, "version") + 1;
        item.put("version", AttributeValue.fromN(Long.toString(version)));
        if (!month.alertedThresholdsCents().isEmpty()) {
            item.put(
                    "alertedThresholds",
                    AttributeValue.fromNs(month.alertedThresholdsCents().stream()
                            .map(Object::toString)
                            .toList()));
        }
        Map<String, AttributeValue> pendingItem = new HashMap<>();
        pending.forEach((threshold, alert) -> pendingItem.put(threshold, AttributeValue.fromM(alert)));
        item.put("pendingAlerts", AttributeValue.fromM(pendingItem));
        item.put("updatedAt", AttributeValue.fromS(clock.instant().toString()));
        return TransactWriteItem.builder()
                .put(unchangedSinceRead(item, read, "version"))
                .build();
    }

    /** A put that succeeds only if the item is still as read: absent, or with the same values of {@code fields}. */
    private Put unchangedSinceRead(
            Map<String, AttributeValue> item, Map<String, AttributeValue> read, String... fields) {
        Put.Builder put = Put.builder().tableName(ledgerTable).item(item);
        if (read.isEmpty()) {
            return put.conditionExpression("attribute_not_exists(pk)").build();
        }
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder condition = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            names.put("#f" + i, fields[i]);
            values.put(":v" + i, read.get(fields[i]));
            condition
                    .append(i == 0 ? "" : " AND ")
                    .append("#f")
                    .append(i)
                    .append(" = :v")
                    .append(i);
        }
        return put.conditionExpression(condition.toString())
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
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

    /** The month-to-date totals of a customer's months, for reports and checks. */
    public Map<YearMonth, Long> monthlyTotals(String customerId) {
        return LedgerReports.monthlyTotals(dynamoDb, ledgerTable, customerId);
    }
}
