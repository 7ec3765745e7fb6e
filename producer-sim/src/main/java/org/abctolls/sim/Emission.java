package org.abctolls.sim;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One record as the simulator sends it, in arrival order: its bytes exactly as they go on the
 * stream (not always UTF-8, not always within Kinesis' limits: a hostile world sends both),
 * the partition key, and what kind of record it is.
 */
public record Emission(byte[] data, String partitionKey, Instant arrival, Kind kind) {

    public enum Kind {
        /** A passage, sent for the first time. */
        PASSAGE,
        /** A re-send of a passage's event id: the same record again, or other content under the same id. */
        DUPLICATE,
        /** A record that breaks the contract; the pipeline rejects it. */
        MALFORMED,
        /** A record over Kinesis' record limit; the producer keeps it instead of sending it. */
        OVERSIZED
    }

    public Emission {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(arrival, "arrival");
        Objects.requireNonNull(kind, "kind");
    }

    /** A record whose bytes are the UTF-8 encoding of {@code text}. */
    public static Emission of(String text, String partitionKey, Instant arrival, Kind kind) {
        return new Emission(text.getBytes(StandardCharsets.UTF_8), partitionKey, arrival, kind);
    }

    /** The record as text, for records known to be UTF-8 (every one the simulator writes but hostile ones). */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** What Kinesis counts against its record limit: the data and the partition key. */
    public long kinesisSize() {
        return data.length + (long) partitionKey.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Whether Kinesis takes the record: a producer keeps back what does not fit (contract section 1). */
    public boolean fitsAKinesisRecord() {
        return kinesisSize() <= RecordBatcher.MAX_BYTES_PER_RECORD;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Emission that
                && Arrays.equals(data, that.data)
                && partitionKey.equals(that.partitionKey)
                && arrival.equals(that.arrival)
                && kind == that.kind;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(data), partitionKey, arrival, kind);
    }

    @Override
    public String toString() {
        return "Emission[" + kind + ", " + data.length + " bytes, key " + partitionKey + ", at " + arrival + "]";
    }
}
