package org.abctolls.functions;

import java.time.YearMonth;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Month-to-date totals read back from the ledger table ({@link BillingLedger}), strongly consistent. */
public final class LedgerReports {
    private static final String MONTH = "MONTH#";

    private LedgerReports() {}

    /** The month-to-date totals of a customer's months, for reports and checks. */
    public static Map<YearMonth, Long> monthlyTotals(DynamoDbClient dynamoDb, String ledgerTable, String customerId) {
        Map<YearMonth, Long> totals = new HashMap<>();
        dynamoDb.queryPaginator(request -> request.tableName(ledgerTable)
                        .keyConditionExpression("pk = :customer AND begins_with(sk, :month)")
                        .expressionAttributeValues(Map.of(
                                ":customer", AttributeValue.fromS(customerId), ":month", AttributeValue.fromS(MONTH)))
                        .consistentRead(true))
                .items()
                .forEach(item -> totals.put(
                        YearMonth.parse(item.get("sk").s().substring(MONTH.length())),
                        Long.parseLong(item.get("totalCents").n())));
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
                .forEach(item -> totals.computeIfAbsent(item.get("pk").s(), customer -> new TreeMap<>())
                        .put(
                                YearMonth.parse(item.get("sk").s().substring(MONTH.length())),
                                Long.parseLong(item.get("totalCents").n())));
        return totals;
    }
}
