package org.abctolls.functions;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.abctolls.domain.LowTrafficAlert;
import org.abctolls.domain.TollJson;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * Publishes each low-traffic record to the operators' topic once per (station, window).
 *
 * <p>Before publishing, a {@code LOW_TRAFFIC#<windowStart>} item under the station in the
 * ledger table is created as {@code PENDING}; after publishing it becomes {@code SENT}. A
 * redelivered record finds it {@code SENT} and is skipped, or still {@code PENDING} (the
 * function died before marking it) and is published then. The items expire as {@link
 * LedgerExpiry} says.
 */
public class OperatorAlerts {

    /** Severity for subscription filters: a station that counted nothing is likely a dead sensor. */
    enum Severity {
        CRITICAL,
        WARNING
    }

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private final DynamoDbClient dynamoDb;
    private final SnsClient sns;
    private final String ledgerTable;
    private final String topicArn;
    private final LedgerExpiry expiry;

    /** @param markersKept how long a window's marker outlives its window ({@link LedgerExpiry}) */
    public OperatorAlerts(
            DynamoDbClient dynamoDb, SnsClient sns, String ledgerTable, String topicArn, Duration markersKept) {
        this.dynamoDb = dynamoDb;
        this.expiry = new LedgerExpiry(markersKept);
        this.sns = sns;
        this.ledgerTable = ledgerTable;
        this.topicArn = topicArn;
    }

    /** @return whether it was published now (false: it had been sent before) */
    public boolean publishOnce(LowTrafficAlert alert) {
        Map<String, AttributeValue> key = Map.of(
                "pk", AttributeValue.fromS(alert.stationId()),
                "sk", AttributeValue.fromS("LOW_TRAFFIC#" + alert.windowStart()));
        AttributeValue expiresAt = expiry.expiresAt(alert.windowEnd(), Instant.now());
        try {
            dynamoDb.putItem(request -> request.tableName(ledgerTable)
                    .item(Map.of(
                            "pk", key.get("pk"),
                            "sk", key.get("sk"),
                            "state", AttributeValue.fromS("PENDING"),
                            "expiresAt", expiresAt))
                    .conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException exists) {
            // Expired since the put, or without a state (written by hand): not known to be sent.
            Map<String, AttributeValue> marker = dynamoDb.getItem(
                            request -> request.tableName(ledgerTable).key(key).consistentRead(true))
                    .item();
            AttributeValue state = marker == null ? null : marker.get("state");
            if (state != null && "SENT".equals(state.s())) {
                return false;
            }
        }
        sns.publish(request(alert));
        // The marker may have expired since it was read: the update then writes it anew, expiring too.
        dynamoDb.updateItem(request -> request.tableName(ledgerTable)
                .key(key)
                .updateExpression("SET #state = :sent, expiresAt = if_not_exists(expiresAt, :expiresAt)")
                .expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(Map.of(":sent", AttributeValue.fromS("SENT"), ":expiresAt", expiresAt)));
        return true;
    }

    PublishRequest request(LowTrafficAlert alert) {
        Severity severity = alert.vehicles() == 0 ? Severity.CRITICAL : Severity.WARNING;
        String subject = String.format(
                "Low traffic at %s: %d vehicles (minimum %d), %s-%s UTC",
                alert.stationId(),
                alert.vehicles(),
                alert.minVehicles(),
                TIME.format(alert.windowStart()),
                TIME.format(alert.windowEnd()).substring(11));
        return PublishRequest.builder()
                .topicArn(topicArn)
                .subject(subject)
                .message(TollJson.write(alert))
                .messageAttributes(Map.of(
                        "type", CustomerNotifications.text(LowTrafficAlert.TYPE),
                        "stationId", CustomerNotifications.text(alert.stationId()),
                        "severity", CustomerNotifications.text(severity.name())))
                .build();
    }
}
