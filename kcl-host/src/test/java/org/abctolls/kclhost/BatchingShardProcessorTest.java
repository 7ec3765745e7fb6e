package org.abctolls.kclhost;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

/** The KCL side of the host: what is checkpointed, and when. */
class BatchingShardProcessorTest {

    private final List<String> checkpoints = new ArrayList<>();
    private final RecordProcessorCheckpointer checkpointer = (RecordProcessorCheckpointer) Proxy.newProxyInstance(
            RecordProcessorCheckpointer.class.getClassLoader(),
            new Class<?>[] {RecordProcessorCheckpointer.class},
            (self, method, args) -> {
                checkpoints.add(method.getName() + (args == null ? "()" : "(" + args[0] + ")"));
                return null;
            });

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    private static final EventSourceMapping GATHERING_FOR_AN_HOUR =
            new EventSourceMapping(100, Duration.ofHours(1), true, true, -1);

    /** A processor of one shard that has gathered one record, not yet delivered. */
    private BatchingShardProcessor gatheredOneRecord(
            RequestHandler<KinesisEvent, StreamsEventResponse> function, BatchInvoker.Backoff backoff) {
        BatchInvoker invoker = new BatchInvoker(
                function,
                GATHERING_FOR_AN_HOUR,
                new OnFailureDestination(null, null),
                "arn:aws:kinesis:eu-west-1:123456789012:stream/low-traffic-alerts",
                "eu-west-1",
                backoff);
        BatchingShardProcessor processor = new BatchingShardProcessor(
                invoker,
                GATHERING_FOR_AN_HOUR,
                Clock.fixed(Instant.parse("2026-11-18T14:00:00Z"), ZoneOffset.UTC),
                new HashSet<>());
        processor.initialize(InitializationInput.builder()
                .shardId("shardId-000000000000")
                .extendedSequenceNumber(ExtendedSequenceNumber.TRIM_HORIZON)
                .build());
        processor.processRecords(ProcessRecordsInput.builder()
                .records(List.of(KinesisClientRecord.builder()
                        .sequenceNumber("1")
                        .partitionKey("S0042")
                        .data(ByteBuffer.wrap("{}".getBytes(StandardCharsets.UTF_8)))
                        .approximateArrivalTimestamp(Instant.parse("2026-11-18T14:00:00Z"))
                        .build()))
                .checkpointer(checkpointer)
                .build());
        return processor;
    }

    /** The function fails every batch, and the host is stopped while it waits to retry. */
    @Test
    void aShardWhoseLastRecordsWereNotDeliveredIsNotMarkedEnded() {
        BatchingShardProcessor processor = gatheredOneRecord(
                (event, context) -> {
                    throw new IllegalStateException("the function fails");
                },
                pause -> {
                    throw new InterruptedException("the host is stopping");
                });

        processor.shardEnded(
                ShardEndedInput.builder().checkpointer(checkpointer).build());

        assertThat(checkpoints).isEmpty();
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void aShardWhoseRecordsWereAllDeliveredIsMarkedEnded() {
        BatchingShardProcessor processor =
                gatheredOneRecord((event, context) -> new StreamsEventResponse(List.of()), pause -> {});

        processor.shardEnded(
                ShardEndedInput.builder().checkpointer(checkpointer).build());

        assertThat(checkpoints).containsExactly("checkpoint(1)", "checkpoint()");
    }
}
