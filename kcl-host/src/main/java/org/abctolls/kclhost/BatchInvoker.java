package org.abctolls.kclhost;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invokes a Lambda handler with a shard's records as Lambda's event source mapping does:
 * batches of at most {@code batchSize}, in shard order, one at a time; a batch is retried
 * until it succeeds or its retries are exhausted, and only then does the shard move on.
 *
 * <ul>
 *   <li>A response naming failed records (with {@code reportBatchItemFailures}): the records
 *       before the first named one are done; the batch is retried from that one. A response
 *       naming a record not in the batch fails the whole batch, as in Lambda.
 *   <li>A function error (an exception): the whole batch is retried, or, with
 *       {@code bisectBatchOnFunctionError}, each half of it in turn.
 *   <li>Each retry counts one attempt for the records it covers; beyond
 *       {@code maximumRetryAttempts} they go to the on-failure destination and are done.
 * </ul>
 */
public final class BatchInvoker {
    private static final Logger LOG = LoggerFactory.getLogger(BatchInvoker.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /** Waits between retries; a test passes one that does not. */
    public interface Backoff {
        void pause(Duration duration) throws InterruptedException;
    }

    private record Pending(List<ShardRecord> records, int attempts) {}

    private final RequestHandler<KinesisEvent, StreamsEventResponse> handler;
    private final EventSourceMapping settings;
    private final OnFailureDestination onFailure;
    private final String streamArn;
    private final String region;
    private final Backoff backoff;

    public BatchInvoker(
            RequestHandler<KinesisEvent, StreamsEventResponse> handler,
            EventSourceMapping settings,
            OnFailureDestination onFailure,
            String streamArn,
            String region,
            Backoff backoff) {
        this.handler = handler;
        this.settings = settings;
        this.onFailure = onFailure;
        this.streamArn = streamArn;
        this.region = region;
        this.backoff = backoff;
    }

    /** Returns once every record is done: handled, or sent to the on-failure destination. */
    public void deliver(String shardId, List<ShardRecord> records) throws InterruptedException {
        for (int start = 0; start < records.size(); start += settings.batchSize()) {
            deliverBatch(shardId, records.subList(start, Math.min(records.size(), start + settings.batchSize())));
        }
    }

    private void deliverBatch(String shardId, List<ShardRecord> batch) throws InterruptedException {
        Deque<Pending> pending = new ArrayDeque<>();
        pending.push(new Pending(batch, 0));
        while (!pending.isEmpty()) {
            Pending next = pending.pop();
            List<ShardRecord> retry;
            boolean functionError = false;
            try {
                retry = failedFromFirst(
                        next.records(),
                        handler.handleRequest(event(shardId, next.records()), new HostContext(shardId)));
            } catch (RuntimeException e) {
                LOG.warn(
                        "function error on {} records of {}: {}", next.records().size(), shardId, e.toString());
                retry = next.records();
                functionError = true;
            }
            if (retry.isEmpty()) {
                continue;
            }
            int attempts = next.attempts() + 1;
            if (!settings.retriesForever() && attempts > settings.maximumRetryAttempts()) {
                LOG.warn(
                        "retries exhausted for {} records of {}; sent to the on-failure destination",
                        retry.size(),
                        shardId);
                onFailure.send(streamArn, shardId, retry, attempts, "RetryAttemptsExhausted");
                continue;
            }
            backoff.pause(backoffFor(attempts));
            if (functionError && settings.bisectBatchOnFunctionError() && retry.size() > 1) {
                int half = retry.size() / 2;
                pending.push(new Pending(retry.subList(half, retry.size()), attempts));
                pending.push(new Pending(retry.subList(0, half), attempts));
            } else {
                pending.push(new Pending(retry, attempts));
            }
        }
    }

    /** The records to retry: from the first one the response names as failed to the end. */
    private List<ShardRecord> failedFromFirst(List<ShardRecord> records, StreamsEventResponse response) {
        if (!settings.reportBatchItemFailures()
                || response == null
                || response.getBatchItemFailures() == null
                || response.getBatchItemFailures().isEmpty()) {
            return List.of();
        }
        int first = records.size();
        for (StreamsEventResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
            int index = indexOf(records, failure.getItemIdentifier());
            if (index < 0) {
                LOG.warn(
                        "batchItemFailures names {}, not in the batch: the whole batch failed",
                        failure.getItemIdentifier());
                return records;
            }
            first = Math.min(first, index);
        }
        return records.subList(first, records.size());
    }

    private static int indexOf(List<ShardRecord> records, String sequenceNumber) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).sequenceNumber().equals(sequenceNumber)) {
                return i;
            }
        }
        return -1;
    }

    private static Duration backoffFor(int attempts) {
        Duration delay = FIRST_BACKOFF.multipliedBy(1L << Math.min(attempts - 1, 10));
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }

    private KinesisEvent event(String shardId, List<ShardRecord> records) {
        List<KinesisEvent.KinesisEventRecord> eventRecords = new ArrayList<>();
        for (ShardRecord record : records) {
            KinesisEvent.Record kinesis = new KinesisEvent.Record();
            kinesis.setKinesisSchemaVersion("1.0");
            kinesis.setPartitionKey(record.partitionKey());
            kinesis.setSequenceNumber(record.sequenceNumber());
            kinesis.setData(record.data().asReadOnlyBuffer());
            kinesis.setApproximateArrivalTimestamp(Date.from(record.approximateArrival()));
            KinesisEvent.KinesisEventRecord eventRecord = new KinesisEvent.KinesisEventRecord();
            eventRecord.setKinesis(kinesis);
            eventRecord.setEventSource("aws:kinesis");
            eventRecord.setEventVersion("1.0");
            eventRecord.setEventID(shardId + ":" + record.sequenceNumber());
            eventRecord.setEventName("aws:kinesis:record");
            eventRecord.setAwsRegion(region);
            eventRecord.setEventSourceARN(streamArn);
            eventRecords.add(eventRecord);
        }
        KinesisEvent event = new KinesisEvent();
        event.setRecords(eventRecords);
        return event;
    }
}
