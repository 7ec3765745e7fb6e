package org.abctolls.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.abctolls.domain.CustomerWindowTotal;
import org.junit.jupiter.api.Test;

/** The handler over a real Kinesis event (as Lambda delivers it), with its collaborators recorded. */
class BillingThresholdHandlerTest {

    private static final String SEQUENCE = "4959033827149025660855969253836157109592157598913658880";

    private final List<CustomerWindowTotal> applied = new ArrayList<>();
    private final RecordingDeadLetters deadLetters = new RecordingDeadLetters();
    private final List<Map<String, Integer>> metrics = new ArrayList<>();

    private BillingThresholdHandler handler(BillingLedger ledger) {
        return new BillingThresholdHandler(ledger, deadLetters, new FunctionMetrics("billing-threshold", null) {
            @Override
            public void publish(Map<String, Integer> counts) {
                metrics.add(counts);
            }
        });
    }

    /** Applies every total; the first of each customer crosses the threshold. */
    private final class RecordingLedger extends BillingLedger {
        private final int failAtCall;

        RecordingLedger(int failAtCall) {
            super(null, null, null, null, FunctionResources.LEDGER_ENTRIES_KEPT);
            this.failAtCall = failAtCall;
        }

        @Override
        public Outcome apply(CustomerWindowTotal total) {
            if (applied.size() + 1 == failAtCall) {
                throw new IllegalStateException("DynamoDB is unavailable");
            }
            boolean firstOfCustomer =
                    applied.stream().noneMatch(t -> t.customerId().equals(total.customerId()));
            applied.add(total);
            return new Outcome(
                    true, firstOfCustomer ? 1 : 0, 0, total.customerId().equals("C0000456"));
        }
    }

    static final class RecordingDeadLetters extends DeadLetterQueue {
        final List<JsonNode> sent = new ArrayList<>();

        RecordingDeadLetters() {
            super(null, null);
        }

        @Override
        public void send(KinesisEvent.KinesisEventRecord record, String reason) {
            try {
                sent.add(new ObjectMapper().readTree(body(record, reason)));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void appliesEveryValidTotalInOrderAndDeadLettersThePoisonRecordsWithoutBlockingTheShard() {
        KinesisEvent event = EventLoader.loadKinesisEvent("customer-window-totals-event.json");

        StreamsEventResponse response = handler(new RecordingLedger(0)).handleRequest(event, null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(applied)
                .extracting(
                        CustomerWindowTotal::customerId, CustomerWindowTotal::totalCents, CustomerWindowTotal::revision)
                .containsExactly(tuple("C0000123", 550L, 0), tuple("C0000123", 275L, 0), tuple("C0000456", 900L, 1));
        assertThat(deadLetters.sent)
                .extracting(d -> d.get("sequenceNumber").asText())
                .containsExactly(SEQUENCE + "2", SEQUENCE + "4", SEQUENCE + "5");
        assertThat(deadLetters.sent.get(0).get("reason").asText())
                .isEqualTo("not valid JSON: Unrecognized token 'not': was expecting (JSON String, Number, "
                        + "Array, Object or token 'null', 'true' or 'false')");
        assertThat(deadLetters.sent.get(1).get("reason").asText()).isEqualTo("not UTF-8 text");
        assertThat(deadLetters.sent.get(0).get("raw").asText()).isEqualTo("not json at all");
        assertThat(deadLetters.sent.get(1).get("rawBase64").asText()).isEqualTo("//4AYnl0ZXM=");
        assertThat(deadLetters.sent.get(2).get("reason").asText()).contains("customerId");
        assertThat(deadLetters.sent.get(0).get("eventSourceArn").asText())
                .isEqualTo("arn:aws:kinesis:eu-west-1:123456789012:stream/customer-window-totals");
        assertThat(metrics)
                .containsExactly(Map.of(
                        "WindowsApplied", 3,
                        "DuplicatesIgnored", 0,
                        "AlertsSent", 2,
                        "AlertsUnconfirmed", 0,
                        "InvalidThresholds", 1,
                        "RecordsDeadLettered", 3,
                        "RecordsToRetry", 0));
    }

    /** A record of 1 MiB of control characters escapes to 6 MiB of JSON; SQS takes 256 KiB. */
    @Test
    void aDeadLetterOfAHugeRecordFitsAnSqsMessageWithItsDigestAndAPrefix() throws Exception {
        byte[] huge = "\u0001".repeat(1024 * 1024 - 64).getBytes(StandardCharsets.UTF_8);
        KinesisEvent.Record kinesis = new KinesisEvent.Record();
        kinesis.setData(ByteBuffer.wrap(huge));
        kinesis.setPartitionKey("C0000123");
        kinesis.setSequenceNumber(SEQUENCE);
        KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
        record.setKinesis(kinesis);
        record.setEventSourceARN("arn:aws:kinesis:eu-west-1:123456789012:stream/customer-window-totals");

        String body = DeadLetterQueue.body(record, "not valid JSON");

        assertThat(body.length()).isLessThanOrEqualTo(256 * 1024);
        JsonNode letter = new ObjectMapper().readTree(body);
        assertThat(letter.get("truncated").asBoolean()).isTrue();
        assertThat(letter.get("length").asInt()).isEqualTo(huge.length);
        assertThat(letter.get("sha256").asText())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(huge)));
        assertThat(letter.get("sequenceNumber").asText()).isEqualTo(SEQUENCE);
    }

    @Test
    void aFailureReportsThatRecordAndEveryLaterOneAndAppliesNothingAfterIt() {
        KinesisEvent event = EventLoader.loadKinesisEvent("customer-window-totals-event.json");

        StreamsEventResponse response = handler(new RecordingLedger(2)).handleRequest(event, null);

        assertThat(response.getBatchItemFailures())
                .extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(SEQUENCE + "3", SEQUENCE + "4", SEQUENCE + "5", SEQUENCE + "6");
        assertThat(applied).extracting(CustomerWindowTotal::totalCents).containsExactly(550L);
        assertThat(deadLetters.sent).hasSize(1);
        assertThat(metrics.get(0)).containsEntry("RecordsToRetry", 4).containsEntry("WindowsApplied", 1);
    }
}
