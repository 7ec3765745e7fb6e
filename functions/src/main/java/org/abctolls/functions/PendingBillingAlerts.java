package org.abctolls.functions;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.abctolls.domain.TollJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The billing alerts a month item of the ledger holds as pending, each sent to the customer at
 * most once as far as SNS FIFO's deduplication allows: the time of the first attempt to publish
 * it is recorded, it is published, then cleared. A later delivery publishes it again only
 * within {@link #REPUBLISH_WINDOW} of that first attempt; after that, an alert whose publish
 * may have succeeded is cleared without publishing again and counted as unconfirmed. A first
 * attempt SNS refused outright is forgotten, so the next delivery tries afresh.
 */
final class PendingBillingAlerts {
    private static final Logger LOG = LoggerFactory.getLogger(PendingBillingAlerts.class);

    /** Safely inside SNS FIFO's five-minute deduplication interval, counted from the first attempt. */
    static final Duration REPUBLISH_WINDOW = Duration.ofMinutes(4);

    /** The pending alert's JSON, in its entry of the month's {@code pendingAlerts}. */
    static final String ALERT = "alert";

    /** The connect timeout of the SDK's Apache 5 HTTP client, the functions' only one. */
    private static final String CONNECT_TIMEOUT = "org.apache.hc.client5.http.ConnectTimeoutException";

    static final String ATTEMPT = "firstAttemptAt";

    /** How many alerts went out, and how many were cleared unconfirmed. */
    record Published(int published, int unconfirmed) {}

    private final DynamoDbClient dynamoDb;
    private final String ledgerTable;
    private final CustomerNotifications notifications;
    private final Clock clock;

    PendingBillingAlerts(
            DynamoDbClient dynamoDb, String ledgerTable, CustomerNotifications notifications, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.ledgerTable = ledgerTable;
        this.notifications = notifications;
        this.clock = clock;
    }

    /** Publishes each pending alert, then clears it; an alert cleared meanwhile by another delivery stays cleared. */
    Published publish(Map<String, AttributeValue> monthKey, Map<String, Map<String, AttributeValue>> pending) {
        int published = 0;
        int unconfirmed = 0;
        for (Map.Entry<String, Map<String, AttributeValue>> entry : pending.entrySet()) {
            String thresholdCents = entry.getKey();
            AttributeValue alert = entry.getValue().get(ALERT);
            AttributeValue recorded = entry.getValue().get(ATTEMPT);
            Instant firstAttempt = recorded == null ? null : Instant.parse(recorded.s());
            boolean attemptIsThisOne = false;
            if (firstAttempt == null) {
                Instant now = clock.instant();
                Optional<Instant> recordedAttempt = recordFirstAttempt(monthKey, thresholdCents, alert, now);
                if (recordedAttempt.isEmpty()) {
                    continue;
                }
                firstAttempt = recordedAttempt.get();
                attemptIsThisOne = firstAttempt.equals(now);
            }
            if (clock.instant().isBefore(firstAttempt.plus(REPUBLISH_WINDOW))) {
                try {
                    notifications.publish(TollJson.readBillingThresholdAlert(alert.s()));
                } catch (AwsServiceException refused) {
                    // Only an attempt of this delivery that SNS refused outright is known to have sent
                    // nothing; an earlier one may have gone out, and so may a call that failed inside SNS.
                    if (attemptIsThisOne && refused.statusCode() != 500) {
                        forgetAttempt(monthKey, thresholdCents, firstAttempt);
                    }
                    throw refused;
                } catch (SdkClientException unsent) {
                    // A connection never made sent nothing either; a timeout or a lost answer may have.
                    if (attemptIsThisOne && neverConnected(unsent)) {
                        forgetAttempt(monthKey, thresholdCents, firstAttempt);
                    }
                    throw unsent;
                }
                published++;
            } else {
                LOG.warn(
                        "billing alert for customer {} (threshold {}) was first sent at {} and not confirmed since;"
                                + " SNS would deliver it again, so it is cleared without sending it again",
                        monthKey.get("pk").s(),
                        thresholdCents,
                        firstAttempt);
                unconfirmed++;
            }
            clear(monthKey, thresholdCents);
        }
        return new Published(published, unconfirmed);
    }

    /**
     * Writes the pending alert anew with the time of its first attempt (whole, so that an entry
     * of an older ledger, the alert's JSON alone, takes the same path); raises the month's
     * version, so that a delivery that read the item before this write re-reads it.
     *
     * @return the first attempt's time as recorded now: {@code at}, or another delivery's; empty
     *     if the alert was cleared meanwhile
     */
    private Optional<Instant> recordFirstAttempt(
            Map<String, AttributeValue> monthKey, String thresholdCents, AttributeValue alert, Instant at) {
        AttributeValue entry = AttributeValue.fromM(Map.of(ALERT, alert, ATTEMPT, AttributeValue.fromS(at.toString())));
        try {
            dynamoDb.updateItem(request -> request.tableName(ledgerTable)
                    .key(monthKey)
                    .updateExpression("SET pendingAlerts.#threshold = :entry, version = version + :one")
                    .conditionExpression(
                            "attribute_exists(pendingAlerts.#threshold) AND attribute_not_exists(pendingAlerts.#threshold.#attempt)")
                    .expressionAttributeNames(Map.of("#threshold", thresholdCents, "#attempt", ATTEMPT))
                    .expressionAttributeValues(Map.of(":entry", entry, ":one", AttributeValue.fromN("1"))));
            return Optional.of(at);
        } catch (ConditionalCheckFailedException recordedOrCleared) {
            // A concurrent delivery recorded its attempt or cleared the alert; or the SDK sent this
            // write again after its answer was lost and finds the attempt it wrote itself. Either
            // way the alert goes on with the attempt recorded, never left pending unsent.
            return recordedAttempt(monthKey, thresholdCents);
        }
    }

    private Optional<Instant> recordedAttempt(Map<String, AttributeValue> monthKey, String thresholdCents) {
        Map<String, AttributeValue> month = dynamoDb.getItem(
                        request -> request.tableName(ledgerTable).key(monthKey).consistentRead(true))
                .item();
        Map<String, AttributeValue> entry =
                month == null ? null : LedgerItems.pendingAlerts(month).get(thresholdCents);
        if (entry == null) {
            return Optional.empty();
        }
        AttributeValue attempt = entry.get(ATTEMPT);
        if (attempt == null) {
            throw new IllegalStateException(
                    "the first attempt of customer " + monthKey.get("pk").s()
                            + "'s billing alert was forgotten while it was being recorded; the record is retried");
        }
        return Optional.of(Instant.parse(attempt.s()));
    }

    /**
     * Whether the call failed before a connection was made, so before any byte of the request
     * was sent: refused, no route, no such host, or the connect phase timing out (the HTTP
     * client's own exception, named because the client is a runtime dependency of the SDK).
     */
    private static boolean neverConnected(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException
                    || cause instanceof NoRouteToHostException
                    || cause instanceof UnknownHostException
                    || CONNECT_TIMEOUT.equals(cause.getClass().getName())) {
                return true;
            }
        }
        return false;
    }

    /** After a first attempt SNS refused: nothing went out, so the next delivery may start a new one. */
    private void forgetAttempt(Map<String, AttributeValue> monthKey, String thresholdCents, Instant attempt) {
        try {
            dynamoDb.updateItem(request -> request.tableName(ledgerTable)
                    .key(monthKey)
                    .updateExpression("REMOVE pendingAlerts.#threshold.#attempt SET version = version + :one")
                    .conditionExpression("pendingAlerts.#threshold.#attempt = :at")
                    .expressionAttributeNames(Map.of("#threshold", thresholdCents, "#attempt", ATTEMPT))
                    .expressionAttributeValues(Map.of(
                            ":at", AttributeValue.fromS(attempt.toString()), ":one", AttributeValue.fromN("1"))));
        } catch (SdkException e) {
            LOG.warn(
                    "could not forget a failed attempt to publish the billing alert for customer {}: {}",
                    monthKey.get("pk").s(),
                    e.toString());
        }
    }

    private void clear(Map<String, AttributeValue> monthKey, String thresholdCents) {
        try {
            dynamoDb.updateItem(request -> request.tableName(ledgerTable)
                    .key(monthKey)
                    .updateExpression("REMOVE pendingAlerts.#threshold SET version = version + :one")
                    .conditionExpression("attribute_exists(pendingAlerts.#threshold)")
                    .expressionAttributeNames(Map.of("#threshold", thresholdCents))
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
        } catch (ConditionalCheckFailedException alreadyCleared) {
            // A concurrent delivery of the same record published and cleared it first.
        }
    }
}
