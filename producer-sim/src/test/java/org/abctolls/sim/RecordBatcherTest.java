package org.abctolls.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

class RecordBatcherTest {

    private static PutRecordsRequestEntry record(int index, int bytes) {
        String prefix = "{\"n\":" + index + ",\"pad\":\"";
        String raw = prefix + "x".repeat(Math.max(0, bytes - prefix.length() - 2 - 5)) + "\"}";
        return RecordBatcher.entry(Emission.of(raw, "S0001", Instant.EPOCH, Emission.Kind.PASSAGE));
    }

    @Test
    void aCallCarriesAtMost500RecordsInTheirOrder() {
        List<PutRecordsRequestEntry> records =
                IntStream.range(0, 1_201).mapToObj(i -> record(i, 200)).toList();

        List<List<PutRecordsRequestEntry>> batches = RecordBatcher.batches(records);

        assertThat(batches).extracting(List::size).containsExactly(500, 500, 201);
        assertThat(batches.stream().flatMap(List::stream).toList()).isEqualTo(records);
    }

    @Test
    void aCallCarriesAtMostFiveMebibytes() {
        List<PutRecordsRequestEntry> records =
                IntStream.range(0, 12).mapToObj(i -> record(i, 1_000_000)).toList();

        List<List<PutRecordsRequestEntry>> batches = RecordBatcher.batches(records);

        assertThat(batches).extracting(List::size).containsExactly(5, 5, 2);
        assertThat(batches).allSatisfy(batch -> assertThat(
                        batch.stream().mapToLong(RecordBatcher::size).sum())
                .isLessThanOrEqualTo(RecordBatcher.MAX_BYTES_PER_CALL));
    }

    @Test
    void aRecordOverOneMebibyteCannotBeAnEntry() {
        assertThatThrownBy(() -> record(0, 1024 * 1024 + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds Kinesis' 1 MiB limit");
        assertThat(RecordBatcher.size(record(0, 1024 * 1024))).isEqualTo(1024 * 1024);
    }
}
