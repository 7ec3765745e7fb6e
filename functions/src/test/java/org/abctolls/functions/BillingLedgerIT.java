package org.abctolls.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import org.abctolls.domain.BillingThresholdAlert;
import org.abctolls.domain.CustomerWindowTotal;
import org.abctolls.domain.TollJson;
import org.abctolls.domain.TumblingWindow;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.LocalAwsExtension;
import org.abctolls.localkit.TopicQueues;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;

/** Month-to-date totals and billing alerts in DynamoDB Local and the kit's SNS, observed through SQS. */
@ExtendWith(LocalAwsExtension.class)
class BillingLedgerIT {

    private FunctionResources resources;

    @BeforeEach
    void createResources(AwsTarget aws) {
        resources = new FunctionResources(aws);
    }

    @AfterEach
    void close() {
        resources.close();
    }

    private BillingLedger ledger(DynamoDbClient dynamoDb, SnsClient sns) {
        return new BillingLedger(
                dynamoDb,
                resources.ledgerTable,
                resources.customersTable,
                new CustomerNotifications(sns, resources.customerTopicArn));
    }

    private BillingLedger ledger() {
        return ledger(resources.dynamoDb, resources.sns);
    }

    private static CustomerWindowTotal total(String customer, String start, long cents, int revision) {
        Instant windowStart = Instant.parse(start);
        return new CustomerWindowTotal(
                customer, windowStart, windowStart.plus(TumblingWindow.BILLING), cents, 1, revision);
    }

    private static BillingThresholdAlert alert(String customer, String month, long threshold, long total, String end) {
        return new BillingThresholdAlert(customer, YearMonth.parse(month), threshold, total, Instant.parse(end));
    }

    @Test
    void duplicatesAndOlderRevisionsChangeNothingAndEachCrossingIsAlertedOnce() {
        resources.setThreshold("C0000001", 1_000);
        resources.setThreshold("C0000003", 500);
        BillingLedger ledger = ledger();

        ledger.apply(total("C0000001", "2026-11-18T14:00:00Z", 600, 0));
        ledger.apply(total("C0000001", "2026-11-18T14:00:00Z", 600, 0));
        ledger.apply(total("C0000001", "2026-11-18T14:10:00Z", 300, 0));
        // A late passage re-emitted the 14:00 window: +200 crosses 1,000.
        ledger.apply(total("C0000001", "2026-11-18T14:00:00Z", 800, 1));
        ledger.apply(total("C0000001", "2026-11-18T14:00:00Z", 600, 0));
        ledger.apply(total("C0000001", "2026-11-18T14:20:00Z", 100, 0));
        // A new month starts from zero and may cross again.
        ledger.apply(total("C0000001", "2026-12-01T00:00:00Z", 1_500, 0));
        // No threshold: billed, never alerted.
        ledger.apply(total("C0000002", "2026-11-18T14:00:00Z", 5_000, 0));
        // Reaching the threshold exactly is crossing it.
        ledger.apply(total("C0000003", "2026-11-18T14:00:00Z", 500, 0));

        assertThat(ledger.monthlyTotals("C0000001"))
                .isEqualTo(Map.of(YearMonth.of(2026, 11), 1_200L, YearMonth.of(2026, 12), 1_500L));
        assertThat(ledger.monthlyTotals("C0000002")).isEqualTo(Map.of(YearMonth.of(2026, 11), 5_000L));
        assertThat(ledger.monthlyTotals("C0000003")).isEqualTo(Map.of(YearMonth.of(2026, 11), 500L));
        assertThat(TopicQueues.receive(resources.sqs, resources.customerAlertsQueue, 3).stream()
                        .map(TollJson::readBillingThresholdAlert))
                .containsExactlyInAnyOrder(
                        alert("C0000001", "2026-11", 1_000, 1_100, "2026-11-18T14:10:00Z"),
                        alert("C0000001", "2026-12", 1_000, 1_500, "2026-12-01T00:10:00Z"),
                        alert("C0000003", "2026-11", 500, 500, "2026-11-18T14:10:00Z"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "transactWriteItems, BEFORE_CALL",
        "transactWriteItems, AFTER_CALL",
        "publish, BEFORE_CALL",
        "publish, AFTER_CALL",
        "updateItem, BEFORE_CALL"
    })
    void aFunctionThatDiesAtAnyStepAndIsRetriedBillsOnceAndAlertsOnce(String call, Faults.When when) {
        resources.setThreshold("C0000001", 1_000);
        ledger().apply(total("C0000001", "2026-11-18T13:50:00Z", 700, 0));
        DynamoDbClient dynamoDb = call.equals("publish")
                ? resources.dynamoDb
                : Faults.failOnce(DynamoDbClient.class, resources.dynamoDb, call, when);
        SnsClient sns =
                call.equals("publish") ? Faults.failOnce(SnsClient.class, resources.sns, call, when) : resources.sns;
        CustomerWindowTotal crossing = total("C0000001", "2026-11-18T14:00:00Z", 400, 0);

        assertThatThrownBy(() -> ledger(dynamoDb, sns).apply(crossing)).isInstanceOf(Faults.InjectedFailure.class);
        ledger().apply(crossing);
        ledger().apply(crossing);

        assertThat(ledger().monthlyTotals("C0000001")).isEqualTo(Map.of(YearMonth.of(2026, 11), 1_100L));
        assertThat(TopicQueues.receive(resources.sqs, resources.customerAlertsQueue, 1).stream()
                        .map(TollJson::readBillingThresholdAlert))
                .containsExactly(alert("C0000001", "2026-11", 1_000, 1_100, "2026-11-18T14:10:00Z"));
    }
}
