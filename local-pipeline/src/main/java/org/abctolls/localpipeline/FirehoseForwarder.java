package org.abctolls.localpipeline;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.abctolls.functions.DeadLetterQueue;
import org.abctolls.kclhost.BatchInvoker;
import org.abctolls.kclhost.EventSourceMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchRequest;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponseEntry;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * Feeds a Direct PUT delivery stream from a Kinesis stream, on the kit, whose Firehose cannot
 * read Kinesis (on AWS the delivery stream reads its stream itself, and this does not exist).
 * Hosted on {@code kcl-host} like the functions, so at-least-once: the host checkpoints a
 * batch only once this has returned, that is, once Firehose has taken every record of it.
 * Records the delivery stream refuses in a {@code PutRecordBatch} are sent again, with
 * backoff; still refused, the batch fails and the host retries it, so a record may be archived
 * twice but never lost. A record over Firehose's record limit is kept as a dead letter.
 */
public final class FirehoseForwarder implements RequestHandler<KinesisEvent, StreamsEventResponse> {

    /** Firehose's PutRecordBatch limits: records and bytes per call, bytes per record. */
    static final int MAX_RECORDS_PER_CALL = 500;

    static final long MAX_BYTES_PER_CALL = 4L * 1024 * 1024;
    static final int MAX_RECORD_BYTES = 1000 * 1024;

    /**
     * How the host hands records over: up to one call's worth, gathered for at most a second
     * (the kit's Firehose writes one object per call, where AWS's buffers for minutes), retried
     * until it succeeds or the records leave the stream.
     */
    public static final EventSourceMapping MAPPING =
            new EventSourceMapping(MAX_RECORDS_PER_CALL, Duration.ofSeconds(1), false, false, -1);

    /**
     * How often the records a call refused are sent again before the batch fails, and how the
     * forwarder waits in between (the host's own {@link BatchInvoker.Backoff}; a test records it).
     */
    public record Retry(int attempts, Duration firstBackoff, BatchInvoker.Backoff backoff) {
        public static final Retry DEFAULT =
                new Retry(6, Duration.ofMillis(100), duration -> Thread.sleep(duration.toMillis()));
    }

    private static final Logger LOG = LoggerFactory.getLogger(FirehoseForwarder.class);

    private final Function<PutRecordBatchRequest, PutRecordBatchResponse> putRecordBatch;
    private final String deliveryStream;
    private final DeadLetterQueue deadLetters;
    private final Retry retry;

    public FirehoseForwarder(
            Function<PutRecordBatchRequest, PutRecordBatchResponse> putRecordBatch,
            String deliveryStream,
            DeadLetterQueue deadLetters,
            Retry retry) {
        this.putRecordBatch = putRecordBatch;
        this.deliveryStream = deliveryStream;
        this.deadLetters = deadLetters;
        this.retry = retry;
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        List<SdkBytes> call = new ArrayList<>();
        long callBytes = 0;
        for (KinesisEvent.KinesisEventRecord record : event.getRecords()) {
            SdkBytes data = SdkBytes.fromByteBuffer(record.getKinesis().getData());
            if (data.asByteArrayUnsafe().length > MAX_RECORD_BYTES) {
                deadLetters.send(
                        record,
                        "a record of " + data.asByteArrayUnsafe().length + " bytes exceeds Firehose's record limit of "
                                + MAX_RECORD_BYTES + " bytes");
                continue;
            }
            if (call.size() == MAX_RECORDS_PER_CALL
                    || callBytes + data.asByteArrayUnsafe().length > MAX_BYTES_PER_CALL) {
                put(call);
                call = new ArrayList<>();
                callBytes = 0;
            }
            call.add(data);
            callBytes += data.asByteArrayUnsafe().length;
        }
        put(call);
        return new StreamsEventResponse(List.of());
    }

    private void put(List<SdkBytes> records) {
        List<SdkBytes> pending = records;
        Duration backoff = retry.firstBackoff();
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            List<SdkBytes> sending = pending;
            PutRecordBatchResponse response = putRecordBatch.apply(PutRecordBatchRequest.builder()
                    .deliveryStreamName(deliveryStream)
                    .records(sending.stream()
                            .map(data -> Record.builder().data(data).build())
                            .toList())
                    .build());
            if (response.failedPutCount() == null || response.failedPutCount() == 0) {
                return;
            }
            pending = new ArrayList<>();
            String firstError = null;
            List<PutRecordBatchResponseEntry> entries = response.requestResponses();
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).errorCode() != null) {
                    pending.add(sending.get(i));
                    firstError = firstError != null
                            ? firstError
                            : entries.get(i).errorCode() + ": " + entries.get(i).errorMessage();
                }
            }
            if (attempt >= retry.attempts()) {
                throw new IllegalStateException(pending.size() + " records still refused by delivery stream "
                        + deliveryStream + " after " + attempt + " attempts (" + firstError + ")");
            }
            LOG.info(
                    "{} of {} records refused by {} ({}); sending them again",
                    pending.size(),
                    sending.size(),
                    deliveryStream,
                    firstError);
            try {
                retry.backoff().pause(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending records to " + deliveryStream, e);
            }
            backoff = backoff.multipliedBy(2);
        }
    }
}
