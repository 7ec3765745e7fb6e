package org.abctolls.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.abctolls.domain.TollEvent;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;

/**
 * The SQL peer must compute the whitepaper's two windows over the benchmark's input, or its
 * throughput says nothing: every record parsed, every window with its sum or count.
 */
class FlinkSqlPeerTest {

    private static final long EVENTS = 30_000;

    @Test
    void sumsEachCustomersTollsPerTenMinutesAndCountsEachStationsVehiclesPerHalfHour() throws Exception {
        Path input = BenchEvents.write(EVENTS);
        Map<String, Long> customerTotals = new TreeMap<>();
        Map<String, Long> stationCounts = new TreeMap<>();
        for (long i = 0; i < EVENTS; i++) {
            TollEvent event = BenchEvents.nth(i);
            customerTotals.merge(
                    event.customerId() + "@" + windowStart(event.eventTime(), Duration.ofMinutes(10)),
                    (long) event.amountCents(),
                    Long::sum);
            stationCounts.merge(
                    event.stationId() + "@" + windowStart(event.eventTime(), Duration.ofMinutes(30)), 1L, Long::sum);
        }

        TableEnvironment tables = FlinkSqlPeer.over(input, Duration.ofSeconds(60), new Configuration());

        assertThat(collect(tables, FlinkSqlPeer.CUSTOMER_TOTALS, 3)).isEqualTo(customerTotals);
        assertThat(collect(tables, FlinkSqlPeer.STATION_COUNTS, 3)).isEqualTo(stationCounts);
    }

    private static String windowStart(Instant time, Duration size) {
        long millis = time.toEpochMilli();
        return LocalDateTime.ofInstant(
                        Instant.ofEpochMilli(millis - Math.floorMod(millis, size.toMillis())), ZoneOffset.UTC)
                .toString();
    }

    /** Key and window start of each row, and the value in the given column. */
    private static Map<String, Long> collect(TableEnvironment tables, String query, int valueColumn) throws Exception {
        Map<String, Long> rows = new TreeMap<>();
        List<Row> all = new ArrayList<>();
        // Closed by hand: as a resource, its close() that may throw InterruptedException is a lint warning.
        CloseableIterator<Row> result = tables.executeSql(query).collect();
        try {
            result.forEachRemaining(all::add);
        } finally {
            result.close();
        }
        for (Row row : all) {
            rows.put(row.getField(0) + "@" + row.getField(1), ((Number) row.getField(valueColumn)).longValue());
        }
        return rows;
    }
}
