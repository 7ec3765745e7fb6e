package org.abctolls.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.abctolls.domain.LowTrafficAlert;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import software.amazon.awssdk.services.sns.model.PublishRequest;

class LowTrafficHandlerTest {

    private final BillingThresholdHandlerTest.RecordingDeadLetters deadLetters =
            new BillingThresholdHandlerTest.RecordingDeadLetters();
    private final List<Map<String, Integer>> metrics = new ArrayList<>();
    private final List<String> requestIdsWhenPublishingMetrics = new ArrayList<>();
    private final List<LowTrafficAlert> published = new ArrayList<>();
    private final Set<String> sent = new HashSet<>();

    private final OperatorAlerts alerts =
            new OperatorAlerts(
                    null, null, null, "arn:aws:sns:eu-west-1:1:operators", FunctionResources.LEDGER_ENTRIES_KEPT) {
                @Override
                public boolean publishOnce(LowTrafficAlert alert) {
                    if (!sent.add(alert.stationId() + alert.windowStart())) {
                        return false;
                    }
                    published.add(alert);
                    return true;
                }
            };

    private LowTrafficHandler handler() {
        return new LowTrafficHandler(alerts, deadLetters, new FunctionMetrics("low-traffic", null) {
            @Override
            public void publish(Map<String, Integer> counts) {
                metrics.add(counts);
                requestIdsWhenPublishingMetrics.add(MDC.get(InvocationLog.REQUEST_ID));
            }
        });
    }

    @Test
    void publishesEachAlertOnceAndDeadLettersTheOneThatBreaksTheContract() {
        KinesisEvent event = EventLoader.loadKinesisEvent("low-traffic-alerts-event.json");

        StreamsEventResponse first = handler().handleRequest(event, null);
        StreamsEventResponse redelivered = handler().handleRequest(event, null);

        assertThat(first.getBatchItemFailures()).isEmpty();
        assertThat(redelivered.getBatchItemFailures()).isEmpty();
        assertThat(published).extracting(LowTrafficAlert::stationId).containsExactly("S0042", "S0007");
        assertThat(deadLetters.sent).hasSize(2);
        assertThat(metrics)
                .containsExactly(
                        Map.of("AlertsSent", 2, "DuplicatesIgnored", 0, "RecordsDeadLettered", 1, "RecordsToRetry", 0),
                        Map.of("AlertsSent", 0, "DuplicatesIgnored", 2, "RecordsDeadLettered", 1, "RecordsToRetry", 0));
    }

    @Test
    void theMessageHasAReadableSubjectAndAttributesToFilterOn() {
        PublishRequest silent = alerts.request(new LowTrafficAlert(
                "S0007", Instant.parse("2026-11-18T20:00:00Z"), Instant.parse("2026-11-18T20:30:00Z"), 0, 12));
        PublishRequest low = alerts.request(new LowTrafficAlert(
                "S0042", Instant.parse("2026-11-18T20:00:00Z"), Instant.parse("2026-11-18T20:30:00Z"), 37, 100));

        assertThat(low.subject())
                .isEqualTo("Low traffic at S0042: 37 vehicles (minimum 100), 2026-11-18 20:00-20:30 UTC");
        assertThat(low.message())
                .isEqualTo("{\"type\":\"LOW_TRAFFIC\",\"stationId\":\"S0042\",\"windowStart\":\"2026-11-18T20:00:00Z\","
                        + "\"windowEnd\":\"2026-11-18T20:30:00Z\",\"vehicles\":37,\"minVehicles\":100}");
        assertThat(low.messageAttributes().get("severity").stringValue()).isEqualTo("WARNING");
        assertThat(low.messageAttributes().get("stationId").stringValue()).isEqualTo("S0042");
        assertThat(silent.messageAttributes().get("severity").stringValue()).isEqualTo("CRITICAL");
    }

    /** SNS refuses a subject over 100 characters, and a refused publish is retried until the batch is given up. */
    @Test
    void theLongestSubjectAnyValidAlertCanHaveFitsSnssLimit() {
        PublishRequest longest = alerts.request(new LowTrafficAlert(
                "S9999",
                Instant.parse("9999-12-31T23:30:00Z"),
                Instant.parse("+10000-01-01T00:00:00Z"),
                Integer.MAX_VALUE - 1L,
                Integer.MAX_VALUE));

        assertThat(longest.subject()).hasSizeLessThanOrEqualTo(100);
    }

    @Test
    void whatTheHandlerLogsCarriesTheInvocationsRequestId() {
        KinesisEvent event = EventLoader.loadKinesisEvent("low-traffic-alerts-event.json");

        Context context = mock(Context.class);
        when(context.getAwsRequestId()).thenReturn("8f5e1c2a-request");
        handler().handleRequest(event, context);

        assertThat(requestIdsWhenPublishingMetrics).containsExactly("8f5e1c2a-request");
        assertThat(MDC.get(InvocationLog.REQUEST_ID)).isNull();
    }
}
