package org.abctolls.kclhost;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The event source mapping's batch semantics, with a scripted function. */
class BatchInvokerTest {

    private final List<List<String>> invocations = new ArrayList<>();
    private final List<List<String>> sentOnFailure = new ArrayList<>();
    private final List<Duration> pauses = new ArrayList<>();

    private final OnFailureDestination onFailure = new OnFailureDestination(null, null) {
        @Override
        public void send(String streamArn, String shardId, List<ShardRecord> batch, int invocations, String condition) {
            sentOnFailure.add(batch.stream().map(ShardRecord::sequenceNumber).toList());
        }
    };

    private static List<ShardRecord> records(int count) {
        List<ShardRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new ShardRecord(
                    Integer.toString(i),
                    "C0000001",
                    ByteBuffer.wrap(("record " + i).getBytes(StandardCharsets.UTF_8)),
                    Instant.parse("2026-11-18T14:00:00Z")));
        }
        return records;
    }

    private static List<String> range(int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add(Integer.toString(i));
        }
        return ids;
    }

    /** A function that records each batch it is given and answers with {@code respond}. */
    private RequestHandler<KinesisEvent, StreamsEventResponse> function(
            Function<List<String>, StreamsEventResponse> respond) {
        return (event, context) -> {
            List<String> batch = event.getRecords().stream()
                    .map(record -> record.getKinesis().getSequenceNumber())
                    .toList();
            invocations.add(batch);
            return respond.apply(batch);
        };
    }

    private BatchInvoker invoker(
            RequestHandler<KinesisEvent, StreamsEventResponse> function, boolean bisect, int maximumRetryAttempts) {
        return new BatchInvoker(
                function,
                new EventSourceMapping(4, Duration.ZERO, bisect, true, maximumRetryAttempts),
                onFailure,
                "arn:aws:kinesis:eu-west-1:123456789012:stream/customer-window-totals",
                "eu-west-1",
                pauses::add);
    }

    private static StreamsEventResponse failing(String... ids) {
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (String id : ids) {
            failures.add(new StreamsEventResponse.BatchItemFailure(id));
        }
        return new StreamsEventResponse(failures);
    }

    @Test
    void deliversInShardOrderInBatchesOfAtMostTheBatchSize() throws InterruptedException {
        invoker(function(batch -> new StreamsEventResponse()), true, 3).deliver("shardId-000000000000", records(10));

        assertThat(invocations).containsExactly(range(0, 4), range(4, 8), range(8, 10));
        assertThat(pauses).isEmpty();
    }

    @Test
    void aReportedFailureIsRetriedFromTheFirstFailedRecordOn() throws InterruptedException {
        List<Boolean> failedOnce = new ArrayList<>();
        invoker(
                        function(batch -> {
                            if (batch.contains("2") && failedOnce.isEmpty()) {
                                failedOnce.add(true);
                                return failing("3", "2");
                            }
                            return new StreamsEventResponse();
                        }),
                        true,
                        3)
                .deliver("shardId-000000000000", records(4));

        assertThat(invocations).containsExactly(range(0, 4), range(2, 4));
        assertThat(sentOnFailure).isEmpty();
    }

    @Test
    void aFailureNamingARecordOutsideTheBatchFailsTheWholeBatch() throws InterruptedException {
        List<Boolean> failedOnce = new ArrayList<>();
        invoker(
                        function(batch -> {
                            if (failedOnce.isEmpty()) {
                                failedOnce.add(true);
                                return failing("99");
                            }
                            return new StreamsEventResponse();
                        }),
                        true,
                        3)
                .deliver("shardId-000000000000", records(4));

        assertThat(invocations).containsExactly(range(0, 4), range(0, 4));
    }

    @Test
    void aFunctionErrorBisectsUntilTheBadRecordIsAloneAndSendsItOnFailureOnceRetriesAreExhausted()
            throws InterruptedException {
        invoker(
                        function(batch -> {
                            if (batch.contains("2")) {
                                throw new IllegalStateException("cannot handle record 2");
                            }
                            return new StreamsEventResponse();
                        }),
                        true,
                        2)
                .deliver("shardId-000000000000", records(4));

        assertThat(invocations)
                .containsExactly(
                        range(0, 4), // fails: halves, attempt 1
                        range(0, 2), // ok
                        range(2, 4), // fails: halves, attempt 2
                        range(2, 3), // fails: attempt 3 > 2 retries, to the on-failure destination
                        range(3, 4)); // ok
        assertThat(sentOnFailure).containsExactly(List.of("2"));
        assertThat(pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void withoutBisectAFunctionErrorRetriesTheWholeBatch() throws InterruptedException {
        invoker(
                        function(batch -> {
                            throw new IllegalStateException("DynamoDB is unavailable");
                        }),
                        false,
                        1)
                .deliver("shardId-000000000000", records(3));

        assertThat(invocations).containsExactly(range(0, 3), range(0, 3));
        assertThat(sentOnFailure).containsExactly(range(0, 3));
    }

    @Test
    void theOnFailureRecordDescribesTheBatchAsLambdaDoes() {
        String body = OnFailureDestination.body(
                "arn:aws:kinesis:eu-west-1:123456789012:stream/s",
                "shardId-000000000001",
                records(3),
                4,
                "RetryAttemptsExhausted",
                Instant.parse("2026-11-18T15:00:00Z"));

        assertThat(body)
                .isEqualTo(
                        "{\"requestContext\":{\"condition\":\"RetryAttemptsExhausted\",\"approximateInvokeCount\":4},"
                                + "\"timestamp\":\"2026-11-18T15:00:00Z\",\"KinesisBatchInfo\":{\"shardId\":\"shardId-000000000001\","
                                + "\"startSequenceNumber\":\"0\",\"endSequenceNumber\":\"2\","
                                + "\"approximateArrivalOfFirstRecord\":\"2026-11-18T14:00:00Z\","
                                + "\"approximateArrivalOfLastRecord\":\"2026-11-18T14:00:00Z\",\"batchSize\":3,"
                                + "\"streamArn\":\"arn:aws:kinesis:eu-west-1:123456789012:stream/s\"}}");
    }
}
