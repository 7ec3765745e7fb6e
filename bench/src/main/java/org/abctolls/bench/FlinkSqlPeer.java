package org.abctolls.bench;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;

/**
 * The whitepaper's two windows as a user migrating from Kinesis Data Analytics for SQL would
 * write them in Flink SQL: a table over the JSON records with an event-time watermark, and a
 * tumbling window grouped by customer (10 minutes, the tolls summed) and by station (30
 * minutes, the vehicles counted). It does less than the topology: no deduplication by
 * {@code eventId}, no revisions for late passages, no silent stations, no thresholds, and
 * malformed records are skipped rather than kept.
 */
final class FlinkSqlPeer {

    static final String CUSTOMER_TOTALS = "SELECT customerId, window_start, window_end,"
            + " SUM(amountCents) AS amountCents, COUNT(*) AS passages"
            + " FROM TABLE(TUMBLE(TABLE toll_events, DESCRIPTOR(eventTime), INTERVAL '10' MINUTES))"
            + " GROUP BY customerId, window_start, window_end";

    static final String STATION_COUNTS = "SELECT stationId, window_start, window_end, COUNT(*) AS vehicles"
            + " FROM TABLE(TUMBLE(TABLE toll_events, DESCRIPTOR(eventTime), INTERVAL '30' MINUTES))"
            + " GROUP BY stationId, window_start, window_end";

    private FlinkSqlPeer() {}

    /** A streaming table environment at parallelism 1 over the input file as {@code toll_events}. */
    static TableEnvironment over(Path input, Duration watermarkBound, Configuration configuration) {
        TableEnvironment tables = TableEnvironment.create(EnvironmentSettings.newInstance()
                .inStreamingMode()
                .withConfiguration(configuration)
                .build());
        tables.getConfig().set("parallelism.default", "1");
        tables.getConfig().set("table.local-time-zone", "UTC");
        tables.executeSql("CREATE TABLE toll_events ("
                + " eventId STRING, stationId STRING, laneId INT, transceiverId STRING, customerId STRING,"
                + " vehicleClass STRING, amountCents INT, eventTime TIMESTAMP_LTZ(3),"
                + " WATERMARK FOR eventTime AS eventTime - INTERVAL '" + watermarkBound.toSeconds() + "' SECOND"
                + ") WITH ("
                + " 'connector' = 'filesystem', 'path' = '" + input.toUri() + "', 'format' = 'json',"
                + " 'json.timestamp-format.standard' = 'ISO-8601', 'json.ignore-parse-errors' = 'true')");
        return tables;
    }

    /**
     * Both windows into sinks that discard, as one job; returns when the input is consumed,
     * with the job's own running time (planning and the MiniCluster's start left out).
     */
    static Duration run(Path input, Duration watermarkBound, Configuration configuration) throws Exception {
        TableEnvironment tables = over(input, watermarkBound, configuration);
        tables.executeSql("CREATE TABLE customer_window_totals (customerId STRING, window_start TIMESTAMP(3),"
                + " window_end TIMESTAMP(3), amountCents INT, passages BIGINT) WITH ('connector' = 'blackhole')");
        tables.executeSql("CREATE TABLE station_counts (stationId STRING, window_start TIMESTAMP(3),"
                + " window_end TIMESTAMP(3), vehicles BIGINT) WITH ('connector' = 'blackhole')");
        StatementSet job = tables.createStatementSet();
        job.addInsertSql("INSERT INTO customer_window_totals " + CUSTOMER_TOTALS);
        job.addInsertSql("INSERT INTO station_counts " + STATION_COUNTS);
        return Duration.ofMillis(job.execute()
                .getJobClient()
                .orElseThrow()
                .getJobExecutionResult()
                .get()
                .getNetRuntime());
    }
}
