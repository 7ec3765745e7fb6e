package org.abctolls.sim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/** Cuts records into PutRecords calls within the API's limits, keeping their order. */
final class RecordBatcher {

    static final int MAX_RECORDS_PER_CALL = 500;
    static final long MAX_BYTES_PER_CALL = 5L * 1024 * 1024;

    /** The limit applies to data plus partition key. */
    static final long MAX_BYTES_PER_RECORD = 1024 * 1024;

    private RecordBatcher() {}

    static long size(PutRecordsRequestEntry entry) {
        return entry.data().asByteArrayUnsafe().length + entry.partitionKey().getBytes(StandardCharsets.UTF_8).length;
    }

    /** Whether Kinesis takes the record at all: its data and partition key within the record limit. */
    static boolean fits(Emission emission) {
        return emission.kinesisSize() <= MAX_BYTES_PER_RECORD;
    }

    static PutRecordsRequestEntry entry(Emission emission) {
        if (!fits(emission)) {
            throw new IllegalArgumentException(
                    "a record of " + emission.kinesisSize() + " bytes exceeds Kinesis' 1 MiB limit");
        }
        return PutRecordsRequestEntry.builder()
                .partitionKey(emission.partitionKey())
                .data(SdkBytes.fromByteArray(emission.data()))
                .build();
    }

    static List<List<PutRecordsRequestEntry>> batches(List<PutRecordsRequestEntry> entries) {
        List<List<PutRecordsRequestEntry>> batches = new ArrayList<>();
        List<PutRecordsRequestEntry> current = new ArrayList<>();
        long currentBytes = 0;
        for (PutRecordsRequestEntry entry : entries) {
            long bytes = size(entry);
            if (!current.isEmpty()
                    && (current.size() == MAX_RECORDS_PER_CALL || currentBytes + bytes > MAX_BYTES_PER_CALL)) {
                batches.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(entry);
            currentBytes += bytes;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }
}
