package org.abctolls.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

class KinesisPublisherTest {

    private static final KinesisPublisher.RetryPolicy POLICY =
            new KinesisPublisher.RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(1));

    /** A stand-in for Kinesis that answers each call from a script and remembers what it stored, in order. */
    private static final class ScriptedKinesis implements KinesisPublisher.PutRecordsCall {
        final Deque<Function<List<PutRecordsRequestEntry>, List<String>>> script = new ArrayDeque<>();
        final List<String> stored = new ArrayList<>();
        final List<Integer> callSizes = new ArrayList<>();

        /** Each answer names an error code per entry, or null where the entry is stored. */
        ScriptedKinesis then(Function<List<PutRecordsRequestEntry>, List<String>> answer) {
            script.add(answer);
            return this;
        }

        @Override
        public PutRecordsResponse putRecords(PutRecordsRequest request) {
            callSizes.add(request.records().size());
            List<String> errors = script.isEmpty()
                    ? request.records().stream().map(e -> (String) null).toList()
                    : script.poll().apply(request.records());
            List<PutRecordsResultEntry> results = new ArrayList<>();
            for (int i = 0; i < errors.size(); i++) {
                if (errors.get(i) == null) {
                    stored.add(request.records().get(i).data().asUtf8String());
                    results.add(PutRecordsResultEntry.builder()
                            .shardId("shardId-0")
                            .sequenceNumber("" + i)
                            .build());
                } else {
                    results.add(PutRecordsResultEntry.builder()
                            .errorCode(errors.get(i))
                            .errorMessage("x")
                            .build());
                }
            }
            return PutRecordsResponse.builder()
                    .records(results)
                    .failedRecordCount(
                            (int) errors.stream().filter(e -> e != null).count())
                    .build();
        }
    }

    private final List<Duration> pauses = new ArrayList<>();

    private KinesisPublisher publisher(KinesisPublisher.PutRecordsCall kinesis) {
        return new KinesisPublisher(kinesis, "toll-events", POLICY, pauses::add, new Random(1));
    }

    private static List<Emission> records(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> Emission.of("r" + i, "S000" + (i % 3), Instant.EPOCH, Emission.Kind.PASSAGE))
                .toList();
    }

    private static Function<List<PutRecordsRequestEntry>, List<String>> failing(String code, int... indexes) {
        return entries -> {
            List<String> errors = new ArrayList<>();
            entries.forEach(e -> errors.add(null));
            for (int index : indexes) {
                errors.set(index, code);
            }
            return errors;
        };
    }

    @Test
    void retriesOnlyTheFailedEntriesInOrderBeforeSendingAnythingElse() throws InterruptedException {
        ScriptedKinesis kinesis = new ScriptedKinesis().then(failing("InternalFailure", 1, 3));
        KinesisPublisher publisher = publisher(kinesis);

        publisher.publish(records(600));

        assertThat(kinesis.callSizes).containsExactly(500, 2, 100);
        assertThat(kinesis.stored.subList(498, 500)).containsExactly("r1", "r3");
        assertThat(kinesis.stored).hasSize(600).doesNotHaveDuplicates();
        assertThat(publisher.stats().sent()).isEqualTo(600);
        assertThat(publisher.stats().retried()).isEqualTo(2);
        assertThat(publisher.stats().failed()).isZero();
        assertThat(pauses).hasSize(1);
    }

    @Test
    void keepsARecordOverKinesisLimitWithTheReasonAndSendsTheOthers() throws InterruptedException {
        ScriptedKinesis kinesis = new ScriptedKinesis();
        KinesisPublisher publisher = publisher(kinesis);
        List<Emission> emissions = new ArrayList<>(records(3));
        Emission huge = Emission.of("x".repeat(1024 * 1024), "S0001", Instant.EPOCH, Emission.Kind.OVERSIZED);
        emissions.add(1, huge);

        publisher.publish(emissions);

        assertThat(kinesis.stored).containsExactly("r0", "r1", "r2");
        assertThat(publisher.stats().rejected()).isEqualTo(1);
        assertThat(publisher.stats().failed()).isZero();
        assertThat(publisher.rejected()).singleElement().satisfies(letter -> {
            assertThat(letter.raw()).isEqualTo(huge.data());
            assertThat(letter.reason())
                    .isEqualTo("a record of 1048581 bytes (data and partition key) exceeds Kinesis' record limit"
                            + " of 1048576 bytes");
            assertThat(letter.context()).containsEntry("partitionKey", "S0001");
        });
    }

    @Test
    void backsOffExponentiallyWithFullJitterUpToTheCap() {
        KinesisPublisher publisher = publisher(new ScriptedKinesis());

        for (int attempt = 1; attempt <= 8; attempt++) {
            long cap = Math.min(1000, 100L << (attempt - 1));
            for (int draw = 0; draw < 50; draw++) {
                assertThat(publisher.backoff(attempt).toMillis()).isBetween(0L, cap);
            }
        }
    }

    @Test
    void throttlingSlowsTheProducerDownAndSuccessSpeedsItUpAgain() throws InterruptedException {
        String throttled = "ProvisionedThroughputExceededException";
        ScriptedKinesis kinesis = new ScriptedKinesis()
                .then(failing(throttled, 0, 1, 2))
                .then(failing(throttled, 0))
                .then(failing(null));
        KinesisPublisher publisher = publisher(kinesis);

        publisher.publish(records(3));
        publisher.publish(records(3));

        assertThat(publisher.stats().throttled()).isEqualTo(2);
        assertThat(publisher.stats().failed()).isZero();
        // Within one call Kinesis stores what it can: the retried r0 lands after r1 and r2.
        assertThat(kinesis.stored).containsExactly("r1", "r2", "r0", "r0", "r1", "r2");
        assertThat(kinesis.callSizes).containsExactly(3, 3, 1, 3);
        // Pauses between calls: 10 ms after the first throttle, 30 ms after the second, then halving.
        assertThat(pauses).contains(Duration.ofMillis(10), Duration.ofMillis(30), Duration.ofMillis(15));
    }

    @Test
    void countsRecordsThatStillFailAfterTheRetryBudgetAndGoesOn() throws InterruptedException {
        ScriptedKinesis kinesis = new ScriptedKinesis();
        for (int i = 0; i < POLICY.maxAttempts(); i++) {
            kinesis.then(failing("InternalFailure", 0));
        }
        KinesisPublisher publisher = publisher(kinesis);

        publisher.publish(records(3));

        assertThat(publisher.stats().failed()).isEqualTo(1);
        assertThat(publisher.stats().sent()).isEqualTo(2);
        assertThat(kinesis.callSizes).hasSize(POLICY.maxAttempts());
    }

    @Test
    void retriesAWholeCallThatFailedRetryably() throws InterruptedException {
        ScriptedKinesis stored = new ScriptedKinesis();
        int[] calls = {0};
        KinesisPublisher publisher = publisher(request -> {
            if (calls[0]++ == 0) {
                throw SdkClientException.builder().message("connection reset").build();
            }
            return stored.putRecords(request);
        });

        publisher.publish(records(5));

        assertThat(stored.stored).containsExactly("r0", "r1", "r2", "r3", "r4");
        assertThat(publisher.stats().retried()).isEqualTo(5);
    }

    @Test
    void aMissingStreamIsAnErrorNotSomethingToRetry() {
        KinesisPublisher publisher = publisher(request -> {
            throw ResourceNotFoundException.builder()
                    .message("Stream toll-events not found")
                    .build();
        });

        assertThatThrownBy(() -> publisher.publish(records(1))).isInstanceOf(ResourceNotFoundException.class);
    }
}
