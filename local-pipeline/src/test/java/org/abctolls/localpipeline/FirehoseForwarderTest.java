package org.abctolls.localpipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.abctolls.functions.DeadLetterQueue;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchRequest;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponseEntry;
import software.amazon.awssdk.services.firehose.model.Record;

class FirehoseForwarderTest {

    private final List<List<String>> calls = new ArrayList<>();
    private final List<Duration> waits = new ArrayList<>();
    private final List<String> deadLetters = new ArrayList<>();

    @Test
    void sendsEveryRecordInOrderInCallsWithinFirehosesLimits() {
        forwarder(acceptEverything()).handleRequest(event(texts(1_200, 10)), null);

        assertThat(calls).extracting(List::size).containsExactly(500, 500, 200);
        assertThat(calls.stream().flatMap(List::stream)).containsExactlyElementsOf(texts(1_200, 10));
    }

    @Test
    void aCallStopsBeforeFourMebibytes() {
        forwarder(acceptEverything()).handleRequest(event(texts(5, 1000 * 1024)), null);

        assertThat(calls).extracting(List::size).containsExactly(4, 1);
    }

    @Test
    void recordsACallRefusedAreSentAgainAloneAfterABackoff() {
        List<String> records = texts(6, 10);
        Set<String> refusedOnce = Set.of(records.get(1), records.get(4));

        forwarder(refusingOnce(refusedOnce)).handleRequest(event(records), null);

        assertThat(calls).hasSize(2);
        assertThat(calls.get(1)).containsExactly(records.get(1), records.get(4));
        assertThat(waits).containsExactly(Duration.ofMillis(100));
    }

    @Test
    void recordsStillRefusedAfterEveryAttemptFailTheBatchSoTheHostRetriesIt() {
        List<String> records = texts(3, 10);

        assertThatThrownBy(() -> forwarder(refusingAlways(records.get(2))).handleRequest(event(records), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 records still refused")
                .hasMessageContaining("ServiceUnavailableException");
        assertThat(calls).hasSize(6);
        assertThat(waits)
                .containsExactly(
                        Duration.ofMillis(100),
                        Duration.ofMillis(200),
                        Duration.ofMillis(400),
                        Duration.ofMillis(800),
                        Duration.ofMillis(1600));
    }

    @Test
    void aRecordOverFirehosesLimitIsADeadLetterAndTheOthersGoOn() {
        List<String> records = new ArrayList<>(texts(2, 10));
        records.add(1, "x".repeat(1000 * 1024 + 1));

        forwarder(acceptEverything()).handleRequest(event(records), null);

        assertThat(calls).containsExactly(List.of(records.get(0), records.get(2)));
        assertThat(deadLetters).singleElement().asString().contains("exceeds Firehose's record limit");
    }

    private FirehoseForwarder forwarder(Function<List<String>, List<Boolean>> refusals) {
        DeadLetterQueue queue = new DeadLetterQueue(null, null) {
            @Override
            public void send(KinesisEvent.KinesisEventRecord record, String reason) {
                deadLetters.add(reason);
            }
        };
        Function<PutRecordBatchRequest, PutRecordBatchResponse> firehose = request -> {
            List<String> sent = request.records().stream()
                    .map(Record::data)
                    .map(data -> data.asString(StandardCharsets.UTF_8))
                    .toList();
            calls.add(sent);
            List<Boolean> refused = refusals.apply(sent);
            return PutRecordBatchResponse.builder()
                    .failedPutCount((int) refused.stream().filter(r -> r).count())
                    .requestResponses(refused.stream()
                            .map(r -> r
                                    ? PutRecordBatchResponseEntry.builder()
                                            .errorCode("ServiceUnavailableException")
                                            .errorMessage("slow down")
                                            .build()
                                    : PutRecordBatchResponseEntry.builder()
                                            .recordId("id")
                                            .build())
                            .toList())
                    .build();
        };
        return new FirehoseForwarder(
                firehose, "archive", queue, new FirehoseForwarder.Retry(6, Duration.ofMillis(100), waits::add));
    }

    private static Function<List<String>, List<Boolean>> acceptEverything() {
        return sent -> sent.stream().map(s -> false).toList();
    }

    private static Function<List<String>, List<Boolean>> refusingOnce(Set<String> refused) {
        Set<String> remaining = new java.util.HashSet<>(refused);
        return sent -> sent.stream().map(remaining::remove).toList();
    }

    private static Function<List<String>, List<Boolean>> refusingAlways(String refused) {
        return sent -> sent.stream().map(refused::equals).toList();
    }

    private static List<String> texts(int count, int length) {
        return IntStream.range(0, count)
                .mapToObj(i -> String.format("%0" + length + "d", i))
                .toList();
    }

    private static KinesisEvent event(List<String> texts) {
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        for (String text : texts) {
            KinesisEvent.Record kinesis = new KinesisEvent.Record();
            kinesis.setData(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
            record.setKinesis(kinesis);
            records.add(record);
        }
        KinesisEvent event = new KinesisEvent();
        event.setRecords(records);
        return event;
    }
}
