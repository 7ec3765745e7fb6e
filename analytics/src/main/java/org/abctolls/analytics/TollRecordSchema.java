package org.abctolls.analytics;

import java.time.Duration;
import java.time.Instant;
import org.abctolls.domain.TollEventRules;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.connectors.kinesis.serialization.KinesisDeserializationSchema;

/**
 * Reads each Kinesis record's bytes as the contract says (contract section 1), where they are
 * read: bytes that are not UTF-8 or JSON that breaks a rule make a rejected record, and so
 * does an event time more than the tolerance ahead of the clock, before any watermark
 * generator sees it. The clock is Kinesis' own when it took the record (its approximate
 * arrival): the first reader's, and the same each time the record is read again, so a record
 * replayed after a restore is judged as it was the first time.
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
        return InputRecord.read(
                data,
                TollEventRules.latestAcceptableEventTime(Instant.ofEpochMilli(approximateArrival), futureTolerance));
    }

    @Override
    public TypeInformation<InputRecord> getProducedType() {
        return TypeInformation.of(InputRecord.class);
    }
}
