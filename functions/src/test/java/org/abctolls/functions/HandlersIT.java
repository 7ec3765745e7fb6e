package org.abctolls.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.abctolls.domain.LowTrafficAlert;
import org.abctolls.domain.TollJson;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.LocalAwsExtension;
import org.abctolls.localkit.TopicQueues;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Both handlers as Lambda would call them, over real Kinesis events, against the local kit. */
@ExtendWith(LocalAwsExtension.class)
class HandlersIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FunctionResources resources;

    @BeforeEach
    void createResources(AwsTarget aws) {
        resources = new FunctionResources(aws);
    }

    @AfterEach
    void close() {
        resources.close();
    }

    private List<JsonNode> deadLetters(int expected) throws Exception {
        List<JsonNode> messages = new ArrayList<>();
        for (String body : TopicQueues.receive(resources.sqs, resources.deadLetterQueue, expected)) {
            messages.add(JSON.readTree(body));
        }
        return messages;
    }

    @Test
    void poisonRecordsLandInTheDeadLetterQueueWhileTheRestOfTheBatchIsApplied() throws Exception {
        BillingThresholdHandler handler = new BillingThresholdHandler(
                resources.billingConfig(), resources.dynamoDb, resources.sns, resources.sqs);
        KinesisEvent event = EventLoader.loadKinesisEvent("customer-window-totals-event.json");

        StreamsEventResponse response = handler.handleRequest(event, null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        BillingLedger ledger = resources.ledger();
        assertThat(ledger.monthlyTotals("C0000123")).isEqualTo(Map.of(YearMonth.of(2026, 11), 825L));
        assertThat(ledger.monthlyTotals("C0000456")).isEqualTo(Map.of(YearMonth.of(2026, 11), 900L));
        assertThat(deadLetters(3))
                .extracting(message -> message.get("reason").asText())
                .hasSize(3)
                .anyMatch(reason -> reason.startsWith("not valid JSON"))
                .contains("not UTF-8 text");
    }

    /** Retrying cannot mend an item edited by hand; a stalled shard would hold up every other customer. */
    @Test
    void aCorruptLedgerItemDeadLettersItsCustomersTotalsAndTheShardGoesOn() throws Exception {
        resources.dynamoDb.putItem(request -> request.tableName(resources.ledgerTable)
                .item(Map.of(
                        "pk", AttributeValue.fromS("C0000123"),
                        "sk", AttributeValue.fromS("MONTH#2026-11"),
                        "totalCents", AttributeValue.fromS("825"),
                        "version", AttributeValue.fromN("1"))));
        BillingThresholdHandler handler = new BillingThresholdHandler(
                resources.billingConfig(), resources.dynamoDb, resources.sns, resources.sqs);

        StreamsEventResponse response =
                handler.handleRequest(EventLoader.loadKinesisEvent("customer-window-totals-event.json"), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        BillingLedger ledger = resources.ledger();
        assertThat(ledger.monthlyTotals("C0000456")).isEqualTo(Map.of(YearMonth.of(2026, 11), 900L));
        assertThat(deadLetters(5))
                .extracting(message -> message.get("reason").asText())
                .hasSize(5)
                .filteredOn(reason -> reason.startsWith("ledger item"))
                .containsExactly(
                        "ledger item (pk C0000123, sk MONTH#2026-11) is corrupt: totalCents is missing or not a number"
                                + " attribute",
                        "ledger item (pk C0000123, sk MONTH#2026-11) is corrupt: totalCents is missing or not a number"
                                + " attribute");
    }

    /** A marker that says nothing of its state was never known to be sent: the alert goes out. */
    @Test
    void aStationWindowMarkerWithoutAStateIsNotTakenAsSent() throws Exception {
        resources.dynamoDb.putItem(request -> request.tableName(resources.ledgerTable)
                .item(Map.of(
                        "pk", AttributeValue.fromS("S0042"),
                        "sk", AttributeValue.fromS("LOW_TRAFFIC#2026-11-18T20:00:00Z"))));
        LowTrafficHandler handler =
                new LowTrafficHandler(resources.lowTrafficConfig(), resources.dynamoDb, resources.sns, resources.sqs);

        StreamsEventResponse response =
                handler.handleRequest(EventLoader.loadKinesisEvent("low-traffic-alerts-event.json"), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(TopicQueues.receive(resources.sqs, resources.operatorAlertsQueue, 2).stream()
                        .map(TollJson::readLowTrafficAlert))
                .extracting(LowTrafficAlert::stationId)
                .containsExactlyInAnyOrder("S0042", "S0007");
        // Marked sent, and given the expiry a marker written by hand lacked.
        Map<String, AttributeValue> marker = resources
                .dynamoDb
                .getItem(request -> request.tableName(resources.ledgerTable)
                        .key(Map.of(
                                "pk", AttributeValue.fromS("S0042"),
                                "sk", AttributeValue.fromS("LOW_TRAFFIC#2026-11-18T20:00:00Z"))))
                .item();
        assertThat(marker.get("state").s()).isEqualTo("SENT");
        assertThat(marker).containsKey("expiresAt");
    }

    @Test
    void aRedeliveredBatchAlertsOperatorsOncePerStationAndWindow() throws Exception {
        LowTrafficHandler handler =
                new LowTrafficHandler(resources.lowTrafficConfig(), resources.dynamoDb, resources.sns, resources.sqs);
        KinesisEvent event = EventLoader.loadKinesisEvent("low-traffic-alerts-event.json");

        handler.handleRequest(event, null);
        handler.handleRequest(event, null);

        assertThat(TopicQueues.receive(resources.sqs, resources.operatorAlertsQueue, 2).stream()
                        .map(TollJson::readLowTrafficAlert))
                .extracting(LowTrafficAlert::stationId)
                .containsExactlyInAnyOrder("S0042", "S0007");
        assertThat(deadLetters(2)).hasSize(2);
        // The event's windows are past: their markers are kept from now, not from the window.
        long expiresAt = Long.parseLong(resources
                .dynamoDb
                .query(request -> request.tableName(resources.ledgerTable)
                        .keyConditionExpression("pk = :station AND begins_with(sk, :lowTraffic)")
                        .expressionAttributeValues(Map.of(
                                ":station", AttributeValue.fromS("S0042"),
                                ":lowTraffic", AttributeValue.fromS("LOW_TRAFFIC#"))))
                .items()
                .get(0)
                .get("expiresAt")
                .n());
        assertThat(Instant.ofEpochSecond(expiresAt))
                .isAfter(Instant.now()
                        .plus(FunctionResources.LEDGER_ENTRIES_KEPT)
                        .minus(Duration.ofMinutes(5)));
    }
}
