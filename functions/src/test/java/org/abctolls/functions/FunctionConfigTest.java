package org.abctolls.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionConfigTest {

    @Test
    void readsEveryVariableOnce() {
        assertThat(BillingConfig.fromEnvironment(Map.of(
                        "LEDGER_TABLE", "ledger",
                        "CUSTOMERS_TABLE", "customers",
                        "CUSTOMER_NOTIFICATIONS_TOPIC_ARN", "arn:topic",
                        "DEAD_LETTER_QUEUE_URL", "https://sqs/dlq",
                        "LEDGER_ENTRIES_KEPT", "PT888H")))
                .isEqualTo(new BillingConfig(
                        "ledger", "customers", "arn:topic", "https://sqs/dlq", Duration.ofHours(888)));
    }

    @Test
    void aDurationThatIsNotISO8601IsNamedWithItsValue() {
        assertThatThrownBy(() -> LowTrafficConfig.fromEnvironment(Map.of(
                        "LEDGER_TABLE", "ledger",
                        "OPERATOR_ALERTS_TOPIC_ARN", "arn:topic",
                        "DEAD_LETTER_QUEUE_URL", "https://sqs/dlq",
                        "LEDGER_ENTRIES_KEPT", "37 days")))
                .hasMessage("LEDGER_ENTRIES_KEPT must be an ISO-8601 duration like PT888H, was \"37 days\"");
    }

    @Test
    void namesEveryMissingVariable() {
        assertThatThrownBy(() -> LowTrafficConfig.fromEnvironment(Map.of("LEDGER_TABLE", "ledger")))
                .hasMessage("missing environment variables: OPERATOR_ALERTS_TOPIC_ARN, DEAD_LETTER_QUEUE_URL, "
                        + "LEDGER_ENTRIES_KEPT");
    }

    @Test
    void theWarehouseTransformationReadsItsTolerance() {
        assertThat(WarehouseRecordsConfig.fromEnvironment(Map.of("FUTURE_TOLERANCE", "PT10M")))
                .isEqualTo(new WarehouseRecordsConfig(Duration.ofMinutes(10)));
        assertThatThrownBy(() -> WarehouseRecordsConfig.fromEnvironment(Map.of()))
                .hasMessage("missing environment variables: FUTURE_TOLERANCE");
        assertThatThrownBy(WarehouseRecordsHandler::new).hasMessage("missing environment variables: FUTURE_TOLERANCE");
    }

    @Test
    void theLambdaEntryPointsStopAtOnceWhenTheirEnvironmentIsIncomplete() {
        assertThatThrownBy(BillingThresholdHandler::new)
                .hasMessage("missing environment variables: LEDGER_TABLE, CUSTOMERS_TABLE, "
                        + "CUSTOMER_NOTIFICATIONS_TOPIC_ARN, DEAD_LETTER_QUEUE_URL, LEDGER_ENTRIES_KEPT");
        assertThatThrownBy(LowTrafficHandler::new)
                .hasMessage("missing environment variables: LEDGER_TABLE, OPERATOR_ALERTS_TOPIC_ARN, "
                        + "DEAD_LETTER_QUEUE_URL, LEDGER_ENTRIES_KEPT");
    }

    @Test
    void theRotationReadsWhereTheWarehouseIsAndNamesWhatIsMissing() {
        assertThat(WarehouseConfig.fromEnvironment(Map.of(
                        "WAREHOUSE_WORKGROUP", "abc-tolls",
                        "WAREHOUSE_DATABASE", "tolls",
                        "WAREHOUSE_ADMIN_SECRET_ARN", "arn:secret",
                        "WAREHOUSE_SCHEMA", "public",
                        "WAREHOUSE_TABLE", "toll_events")))
                .isEqualTo(new WarehouseConfig("abc-tolls", "tolls", "arn:secret", "public", "toll_events"));
        assertThatThrownBy(WarehouseLoaderRotationHandler::new)
                .hasMessage("missing environment variables: WAREHOUSE_WORKGROUP, WAREHOUSE_DATABASE, "
                        + "WAREHOUSE_ADMIN_SECRET_ARN, WAREHOUSE_SCHEMA, WAREHOUSE_TABLE");
    }
}
