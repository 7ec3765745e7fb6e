package org.abctolls.functions;

import java.time.Duration;
import java.util.Map;

/**
 * The billing-threshold function's configuration, from its environment.
 *
 * @param ledgerTable {@code LEDGER_TABLE}: window entries and month-to-date totals
 * @param customersTable {@code CUSTOMERS_TABLE}: each customer's {@code monthlyThresholdCents}
 * @param customerNotificationsTopicArn {@code CUSTOMER_NOTIFICATIONS_TOPIC_ARN}
 * @param deadLetterQueueUrl {@code DEAD_LETTER_QUEUE_URL}: where records that break the contract go
 * @param ledgerEntriesKept {@code LEDGER_ENTRIES_KEPT}: how long a window's entry outlives its window
 */
public record BillingConfig(
        String ledgerTable,
        String customersTable,
        String customerNotificationsTopicArn,
        String deadLetterQueueUrl,
        Duration ledgerEntriesKept) {

    public static BillingConfig fromEnvironment(Map<String, String> environment) {
        EnvironmentVariables variables = new EnvironmentVariables(environment);
        BillingConfig config = new BillingConfig(
                variables.required("LEDGER_TABLE"),
                variables.required("CUSTOMERS_TABLE"),
                variables.required("CUSTOMER_NOTIFICATIONS_TOPIC_ARN"),
                variables.required("DEAD_LETTER_QUEUE_URL"),
                variables.requiredDuration("LEDGER_ENTRIES_KEPT"));
        variables.failIfMissing();
        return config;
    }
}
