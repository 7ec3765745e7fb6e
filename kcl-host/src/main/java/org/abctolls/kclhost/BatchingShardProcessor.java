package org.abctolls.kclhost;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.exceptions.InvalidStateException;
import software.amazon.kinesis.exceptions.KinesisClientLibDependencyException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.exceptions.ThrottlingException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * One shard's KCL record processor: gathers records for up to the batching window (or a full
 * batch), hands them to the {@link BatchInvoker}, and checkpoints after the last record the
 * invoker is done with, never before. If the host stops in between, the records since the
 * last checkpoint are delivered again, as Lambda would.
 */
final class BatchingShardProcessor implements ShardRecordProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(BatchingShardProcessor.class);

    private final BatchInvoker invoker;
    private final EventSourceMapping settings;
    private final Clock clock;
    private final Set<String> hostedShards;
    private final List<KinesisClientRecord> gathered = new ArrayList<>();
    private Instant firstGatheredAt;
    private String shardId;

    /** @param hostedShards the host's view of which shards have a processor; this one adds and removes its own */
    BatchingShardProcessor(BatchInvoker invoker, EventSourceMapping settings, Clock clock, Set<String> hostedShards) {
        this.invoker = invoker;
        this.settings = settings;
        this.clock = clock;
        this.hostedShards = hostedShards;
    }

    @Override
    public void initialize(InitializationInput input) {
        shardId = input.shardId();
        hostedShards.add(shardId);
        LOG.info("hosting {} from {}", shardId, input.extendedSequenceNumber());
    }

    @Override
    public void processRecords(ProcessRecordsInput input) {
        if (gathered.isEmpty() && !input.records().isEmpty()) {
            firstGatheredAt = clock.instant();
        }
        gathered.addAll(input.records());
        boolean fullBatch = gathered.size() >= settings.batchSize();
        boolean windowOver = !gathered.isEmpty()
                && !clock.instant().isBefore(firstGatheredAt.plus(settings.maximumBatchingWindow()));
        if (fullBatch || windowOver) {
            deliverGathered(input.checkpointer());
        }
    }

    @Override
    public void leaseLost(LeaseLostInput input) {
        // Another worker owns the shard now and resumes from the last checkpoint.
        gathered.clear();
        hostedShards.remove(shardId);
    }

    @Override
    public void shardEnded(ShardEndedInput input) {
        // Interrupted before its last records were delivered, the shard is not marked ended: its
        // next owner delivers them from the last checkpoint.
        if (deliverGathered(input.checkpointer())) {
            checkpoint(() -> input.checkpointer().checkpoint());
        }
        hostedShards.remove(shardId);
    }

    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
        deliverGathered(input.checkpointer());
        hostedShards.remove(shardId);
    }

    /** @return whether every gathered record was delivered (false: interrupted, nothing checkpointed) */
    private boolean deliverGathered(RecordProcessorCheckpointer checkpointer) {
        if (gathered.isEmpty()) {
            return true;
        }
        List<ShardRecord> records = gathered.stream()
                .map(record -> new ShardRecord(
                        record.sequenceNumber(),
                        record.partitionKey(),
                        record.data(),
                        record.approximateArrivalTimestamp()))
                .toList();
        KinesisClientRecord last = gathered.get(gathered.size() - 1);
        try {
            invoker.deliver(shardId, records);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        gathered.clear();
        checkpoint(() -> checkpointer.checkpoint(last.sequenceNumber(), last.subSequenceNumber()));
        return true;
    }

    private interface Checkpoint {
        void run()
                throws KinesisClientLibDependencyException, InvalidStateException, ThrottlingException,
                        ShutdownException;
    }

    private void checkpoint(Checkpoint checkpoint) {
        try {
            checkpoint.run();
        } catch (ShutdownException e) {
            // The lease moved on; the next owner delivers from the previous checkpoint.
            LOG.info("{}: not checkpointed, the lease is gone: {}", shardId, e.getMessage());
        } catch (KinesisClientLibDependencyException | InvalidStateException | ThrottlingException e) {
            throw new IllegalStateException("cannot checkpoint " + shardId, e);
        }
    }
}
