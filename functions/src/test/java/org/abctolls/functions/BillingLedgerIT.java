package org.abctolls.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.abctolls.domain.BillingThresholdAlert;
import org.abctolls.domain.CustomerWindowTotal;
import org.abctolls.domain.TollJson;
import org.abctolls.domain.TumblingWindow;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.LocalAwsExtension;
import org.abctolls.localkit.TopicQueues;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.SnsException;

/** Month-to-date totals and billing alerts in the kit's DynamoDB and SNS, observed through SQS. */
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
                new CustomerNotifications(sns, resources.customerTopicArn),
                FunctionResources.LEDGER_ENTRIES_KEPT);
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

    /** The steps of a crossing: the transaction, recording the first attempt (update 1), the publish, the clear (update 2). */
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "transactWriteItems, 1, BEFORE_CALL",
        "transactWriteItems, 1, AFTER_CALL",
        "updateItem, 1, BEFORE_CALL",
        "updateItem, 1, AFTER_CALL",
        "publish, 1, BEFORE_CALL",
        "publish, 1, AFTER_CALL",
        "updateItem, 2, BEFORE_CALL"
    })
    void aFunctionThatDiesAtAnyStepAndIsRetriedBillsOnceAndAlertsOnce(String call, int at, Faults.When when) {
        resources.setThreshold("C0000001", 1_000);
        ledger().apply(total("C0000001", "2026-11-18T13:50:00Z", 700, 0));
        DynamoDbClient dynamoDb = call.equals("publish")
                ? resources.dynamoDb
                : Faults.failOnceAt(DynamoDbClient.class, resources.dynamoDb, call, at, when);
        SnsClient sns = call.equals("publish")
                ? Faults.failOnceAt(SnsClient.class, resources.sns, call, at, when)
                : resources.sns;
        CustomerWindowTotal crossing = total("C0000001", "2026-11-18T14:00:00Z", 400, 0);

        assertThatThrownBy(() -> ledger(dynamoDb, sns).apply(crossing)).isInstanceOf(Faults.InjectedFailure.class);
        ledger().apply(crossing);
        ledger().apply(crossing);

        assertThat(ledger().monthlyTotals("C0000001")).isEqualTo(Map.of(YearMonth.of(2026, 11), 1_100L));
        assertThat(TopicQueues.receive(resources.sqs, resources.customerAlertsQueue, 1).stream()
                        .map(TollJson::readBillingThresholdAlert))
                .containsExactly(alert("C0000001", "2026-11", 1_000, 1_100, "2026-11-18T14:10:00Z"));
    }

    /**
     * Recording the first attempt takes effect but its answer is lost, and the SDK's retry of it
     * finds an attempt recorded: it is this delivery's own, so the alert is published now, not
     * left pending until another total of the customer's month comes.
     */
    @Test
    void anAlertWhoseFirstAttemptWasRecordedByAWriteSentTwiceIsPublishedOnce() {
        resources.setThreshold("C0000001", 1_000);
        ledger().apply(total("C0000001", "2026-11-18T13:50:00Z", 700, 0));
        DynamoDbClient sentTwice =
                Faults.failOnceAt(DynamoDbClient.class, resources.dynamoDb, "updateItem", 1, Faults.When.SENT_AGAIN);
        CustomerWindowTotal crossing = total("C0000001", "2026-11-18T14:00:00Z", 400, 0);

        ledger(sentTwice, resources.sns).apply(crossing);

        assertThat(TopicQueues.receive(resources.sqs, resources.customerAlertsQueue, 1).stream()
                        .map(TollJson::readBillingThresholdAlert))
                .containsExactly(alert("C0000001", "2026-11", 1_000, 1_100, "2026-11-18T14:10:00Z"));
        assertThat(LedgerItems.pendingAlerts(resources
                        .dynamoDb
                        .getItem(request -> request.tableName(resources.ledgerTable)
                                .key(LedgerItems.key("C0000001", "MONTH#2026-11"))
                                .consistentRead(true))
                        .item()))
                .isEmpty();
    }

    /**
     * The function publishes, then cannot clear the pending alert for six minutes, and every
     * delivery of the record in between finds it pending. SNS FIFO drops a repeat only within
     * five minutes of the first: a publish later than that would reach the customer again.
     */
    @Test
    void aClearThatFailsForSixMinutesStillSendsTheAlertOnce() {
        MutableClock clock = new MutableClock(Instant.now());
        List<Instant> published = new ArrayList<>();
        BillingLedger failingClear =
                ledgerWhoseClearFailsForSixMinutes(clock, recordingPublishes(resources.sns, clock, published));
        CustomerWindowTotal crossing = crossingAfter700Of1000();

        int failedDeliveries = 0;
        while (true) {
            try {
                failingClear.apply(crossing);
                break;
            } catch (Faults.InjectedFailure e) {
                failedDeliveries++;
                clock.advance(Duration.ofSeconds(30));
            }
        }

        assertThat(failedDeliveries).isEqualTo(12);
        assertThat(published)
                .as("publishes a FIFO topic delivers: none 5 minutes or more after the first")
                .isNotEmpty()
                .allMatch(at -> at.isBefore(published.get(0).plus(Duration.ofMinutes(5))));
        assertThat(failingClear.apply(crossing).alertsPublished()).isZero();
        assertThat(ledger().monthlyTotals("C0000001")).isEqualTo(Map.of(YearMonth.of(2026, 11), 1_100L));
    }

    /**
     * A first publish goes out but its clear fails; a later delivery's publish is refused. That
     * refusal says nothing about the first: six minutes on, the alert must not go out again.
     */
    @Test
    void aRefusedRepublishDoesNotStartTheAlertAfreshAfterAnEarlierPublishWentOut() {
        MutableClock clock = new MutableClock(Instant.now());
        List<Instant> published = new ArrayList<>();
        AtomicInteger publishes = new AtomicInteger();
        SnsClient secondRefused = Faults.failWhile(
                SnsClient.class,
                recordingPublishes(resources.sns, clock, published),
                "publish",
                request -> true,
                () -> publishes.incrementAndGet() == 2,
                () -> SnsException.builder()
                        .statusCode(503)
                        .message("unavailable")
                        .build());
        BillingLedger ledger = ledgerWhoseClearFailsForSixMinutes(clock, secondRefused);
        CustomerWindowTotal crossing = crossingAfter700Of1000();

        while (true) {
            try {
                ledger.apply(crossing);
                break;
            } catch (Faults.InjectedFailure | SnsException e) {
                clock.advance(Duration.ofMinutes(1));
            }
        }

        assertThat(publishes).hasValueGreaterThanOrEqualTo(2);
        assertThat(published)
                .isNotEmpty()
                .allMatch(at -> at.isBefore(published.get(0).plus(Duration.ofMinutes(5))));
    }

    /** An alert a ledger of the previous version left pending (its JSON alone) is sent once and cleared. */
    @Test
    void anAlertLeftPendingByTheLedgersPreviousFormIsSentOnce() {
        resources.setThreshold("C0000001", 1_000);
        BillingLedger ledger = ledger();
        ledger.apply(total("C0000001", "2026-11-18T14:00:00Z", 1_100, 0));
        TopicQueues.receive(resources.sqs, resources.customerAlertsQueue, 1);
        String alertJson = TollJson.write(alert("C0000001", "2026-11", 1_000, 1_100, "2026-11-18T14:10:00Z"));
        resources.dynamoDb.updateItem(request -> request.tableName(resources.ledgerTable)
                .key(Map.of("pk", AttributeValue.fromS("C0000001"), "sk", AttributeValue.fromS("MONTH#2026-11")))
                .updateExpression("SET pendingAlerts = :pending")
                .expressionAttributeValues(
                        Map.of(":pending", AttributeValue.fromM(Map.of("1000", AttributeValue.fromS(alertJson))))));

        assertThat(ledger.apply(total("C0000001", "2026-11-18T14:00:00Z", 1_100, 0))
                        .alertsPublished())
                .isEqualTo(1);
        assertThat(ledger.apply(total("C0000001", "2026-11-18T14:00:00Z", 1_100, 0))
                        .alertsPublished())
                .isZero();
    }

    /**
     * A crossing whose every publish fails with {@code failure} for six minutes, delivered again
     * every 30 seconds until it goes through: the outcome of the delivery that did.
     */
    private BillingLedger.Outcome crossingWhileEveryPublishFailsForSixMinutes(
            Supplier<? extends RuntimeException> failure) {
        resources.setThreshold("C0000001", 1_000);
        ledger().apply(total("C0000001", "2026-11-18T13:50:00Z", 700, 0));
        MutableClock clock = new MutableClock(Instant.now());
        Instant recovered = clock.instant().plus(Duration.ofMinutes(6));
        SnsClient failing = Faults.failWhile(
                SnsClient.class,
                resources.sns,
                "publish",
                request -> true,
                () -> clock.instant().isBefore(recovered),
                failure);
        BillingLedger ledger = new BillingLedger(
                resources.dynamoDb,
                resources.ledgerTable,
                resources.customersTable,
                new CustomerNotifications(failing, resources.customerTopicArn),
                FunctionResources.LEDGER_ENTRIES_KEPT,
                clock);
        CustomerWindowTotal crossing = total("C0000001", "2026-11-18T14:00:00Z", 400, 0);
        while (true) {
            try {
                return ledger.apply(crossing);
            } catch (SdkException e) {
                clock.advance(Duration.ofSeconds(30));
            }
        }
    }

    /** SNS refusing every publish for six minutes delays the alert; it does not lose it. */
    @Test
    void anAlertSnsRefusesForSixMinutesIsSentOnceItTakesItAgain() {
        BillingLedger.Outcome outcome = crossingWhileEveryPublishFailsForSixMinutes(() ->
                SnsException.builder().statusCode(503).message("unavailable").build());

        assertThat(outcome.alertsPublished()).isEqualTo(1);
        assertThat(TopicQueues.receive(resources.sqs, resources.customerAlertsQueue, 1).stream()
                        .map(TollJson::readBillingThresholdAlert))
                .containsExactly(alert("C0000001", "2026-11", 1_000, 1_100, "2026-11-18T14:10:00Z"));
    }

    /** A connection never made sent nothing: the alert is not cleared as unconfirmed after four minutes. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"refused", "no route", "connect timeout"})
    void anAlertWhileSnsIsOutOfReachForSixMinutesIsSentOnceItIsReachable(String outOfReach) {
        Exception cause =
                switch (outOfReach) {
                    case "refused" -> new ConnectException("Connection refused");
                    case "no route" -> new NoRouteToHostException("No route to host");
                    default -> new ConnectTimeoutException(
                            "Connect to sns.eu-west-1.amazonaws.com:443 failed: connect timed out");
                };
        BillingLedger.Outcome outcome = crossingWhileEveryPublishFailsForSixMinutes(() -> SdkClientException.builder()
                .message("Unable to execute HTTP request: " + cause.getMessage())
                .cause(cause)
                .build());

        assertThat(outcome.alertsPublished()).isEqualTo(1);
        assertThat(outcome.alertsUnconfirmed()).isZero();
        assertThat(TopicQueues.receive(resources.sqs, resources.customerAlertsQueue, 1).stream()
                        .map(TollJson::readBillingThresholdAlert))
                .containsExactly(alert("C0000001", "2026-11", 1_000, 1_100, "2026-11-18T14:10:00Z"));
    }

    /** The mobile app, another system or a person may write anything into a customer's item. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"12.5", "1e30", "-500", "text"})
    void aThresholdThatIsNotAWholeNumberOfCentsIsNoThresholdAndBillingGoesOn(String written) {
        AttributeValue threshold =
                written.equals("text") ? AttributeValue.fromS("5000") : AttributeValue.fromN(written);
        resources.dynamoDb.putItem(request -> request.tableName(resources.customersTable)
                .item(Map.of("customerId", AttributeValue.fromS("C0000001"), "monthlyThresholdCents", threshold)));

        BillingLedger.Outcome outcome = ledger().apply(total("C0000001", "2026-11-18T14:00:00Z", 600, 0));

        assertThat(outcome.applied()).isTrue();
        assertThat(outcome.invalidThreshold()).isTrue();
        assertThat(outcome.alertsPublished()).isZero();
        assertThat(ledger().monthlyTotals("C0000001")).isEqualTo(Map.of(YearMonth.of(2026, 11), 600L));
    }

    /** Also when it comes long after its window: its key is kept from now, not from then. */
    @Test
    void aPassageBilledAloneIsAddedOnceBesideItsWindowsTotal() {
        BillingLedger ledger = ledger();
        Instant start = Instant.parse("2026-09-18T14:00:00Z");
        CustomerWindowTotal late =
                new CustomerWindowTotal("C0000001", start, start.plus(TumblingWindow.BILLING), 50, 1, 0, "e-late");

        ledger.apply(total("C0000001", "2026-09-18T14:00:00Z", 100, 0));
        assertThat(ledger.apply(late).applied()).isTrue();
        assertThat(ledger.apply(late).applied()).isFalse();

        assertThat(ledger.monthlyTotals("C0000001")).isEqualTo(Map.of(YearMonth.of(2026, 9), 150L));
        long expiresAt = Long.parseLong(resources
                .dynamoDb
                .getItem(request -> request.tableName(resources.ledgerTable)
                        .key(Map.of(
                                "pk",
                                AttributeValue.fromS("C0000001"),
                                "sk",
                                AttributeValue.fromS("WINDOW#" + start + "#PASSAGE#e-late"))))
                .item()
                .get("expiresAt")
                .n());
        assertThat(Instant.ofEpochSecond(expiresAt))
                .isAfter(Instant.now()
                        .plus(FunctionResources.LEDGER_ENTRIES_KEPT)
                        .minus(Duration.ofMinutes(5)));
    }

    /** A job restored from a checkpoint re-emits a window with its revisions numbered afresh. */
    @Test
    void aWindowReEmittedWithRevisionsNumberedAfreshIsBilledByItsContent() {
        BillingLedger ledger = ledger();
        Instant start = Instant.parse("2026-11-18T14:00:00Z");
        Instant end = start.plus(TumblingWindow.BILLING);

        ledger.apply(new CustomerWindowTotal("C0000001", start, end, 100, 1, 0));
        ledger.apply(new CustomerWindowTotal("C0000001", start, end, 250, 2, 1));
        ledger.apply(new CustomerWindowTotal("C0000001", start, end, 250, 2, 0));
        ledger.apply(new CustomerWindowTotal("C0000001", start, end, 325, 3, 1));

        assertThat(ledger.monthlyTotals("C0000001")).isEqualTo(Map.of(YearMonth.of(2026, 11), 325L));
    }

    /** A customer with a threshold of 1,000 who has spent 700; the total returned takes them to 1,100. */
    private CustomerWindowTotal crossingAfter700Of1000() {
        resources.setThreshold("C0000001", 1_000);
        ledger().apply(total("C0000001", "2026-11-18T13:50:00Z", 700, 0));
        return total("C0000001", "2026-11-18T14:00:00Z", 400, 0);
    }

    /** A ledger on the given clock whose clear of a pending alert fails for the first six minutes. */
    private BillingLedger ledgerWhoseClearFailsForSixMinutes(MutableClock clock, SnsClient sns) {
        Instant recovered = clock.instant().plus(Duration.ofMinutes(6));
        return new BillingLedger(
                Faults.failWhile(
                        DynamoDbClient.class,
                        resources.dynamoDb,
                        "updateItem",
                        request -> updateRequest(request)
                                .updateExpression()
                                .startsWith("REMOVE pendingAlerts.#threshold SET"),
                        () -> clock.instant().isBefore(recovered)),
                resources.ledgerTable,
                resources.customersTable,
                new CustomerNotifications(sns, resources.customerTopicArn),
                FunctionResources.LEDGER_ENTRIES_KEPT,
                clock);
    }

    /** The request of an {@code updateItem} call, whichever of the SDK's overloads made it. */
    @SuppressWarnings("unchecked")
    private static UpdateItemRequest updateRequest(Object argument) {
        return argument instanceof UpdateItemRequest request
                ? request
                : UpdateItemRequest.builder()
                        .applyMutation((Consumer<UpdateItemRequest.Builder>) argument)
                        .build();
    }

    /** An SNS client that notes when (by the given clock) each publish it passes on succeeded. */
    private static SnsClient recordingPublishes(SnsClient sns, Clock clock, List<Instant> published) {
        return (SnsClient) Proxy.newProxyInstance(
                SnsClient.class.getClassLoader(), new Class<?>[] {SnsClient.class}, (self, method, args) -> {
                    try {
                        Object result = method.invoke(sns, args);
                        if (method.getName().equals("publish")) {
                            published.add(clock.instant());
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A clock a test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
