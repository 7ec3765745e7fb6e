package org.abctolls.functions;

import java.time.Duration;
import java.util.Map;

/**
 * The low-traffic function's configuration, from its environment.
 *
 * @param ledgerTable {@code LEDGER_TABLE}: which (station, window) alerts were sent
 * @param operatorAlertsTopicArn {@code OPERATOR_ALERTS_TOPIC_ARN}
 * @param deadLetterQueueUrl {@code DEAD_LETTER_QUEUE_URL}: where records that break the contract go
 * @param ledgerEntriesKept {@code LEDGER_ENTRIES_KEPT}: how long a window's alert marker outlives its window
 */
public record LowTrafficConfig(
        String ledgerTable, String operatorAlertsTopicArn, String deadLetterQueueUrl, Duration ledgerEntriesKept) {

    public static LowTrafficConfig fromEnvironment(Map<String, String> environment) {
        EnvironmentVariables variables = new EnvironmentVariables(environment);
        LowTrafficConfig config = new LowTrafficConfig(
                variables.required("LEDGER_TABLE"),
                variables.required("OPERATOR_ALERTS_TOPIC_ARN"),
                variables.required("DEAD_LETTER_QUEUE_URL"),
                variables.requiredDuration("LEDGER_ENTRIES_KEPT"));
        variables.failIfMissing();
        return config;
    }
}
