package org.abctolls.analytics;

import java.time.Duration;
import java.time.Instant;
import org.abctolls.domain.TollEventRules;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.connectors.kinesis.serialization.KinesisDeserializationSchema;

/**
 * Reads each Kinesis record's bytes as the contract says (contract section 1), where they are
 * read: bytes that are not UTF-8 or JSON that breaks a rule make a rejected record, and so
 * does an event time more than the tolerance ahead of this reader's clock, before any
 * watermark generator sees it.
 */
final class TollRecordSchema implements KinesisDeserializationSchema<InputRecord> {
    private static final long serialVersionUID = 1L;

    private final Duration futureTolerance;

    TollRecordSchema(Duration futureTolerance) {
        this.futureTolerance = futureTolerance;
    }

    @Override
    public InputRecord deserialize(
            byte[] data,
            String partitionKey,
            String sequenceNumber,
            long approximateArrival,
            String stream,
            String shardId) {
        return InputRecord.read(data, TollEventRules.latestAcceptableEventTime(Instant.now(), futureTolerance));
    }

    @Override
    public TypeInformation<InputRecord> getProducedType() {
        return TypeInformation.of(InputRecord.class);
    }
}
