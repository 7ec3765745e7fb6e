package org.abctolls.localpipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.VehicleClass;
import org.abctolls.localkit.Warehouse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The analysts' warehouse on the kit: the archive's objects loaded into the kit's PostgreSQL
 * every second by a {@link WarehouseLoader}, as Firehose COPYs each buffer into Redshift,
 * in a schema of the run's own. {@link #start} takes over the S3 client: {@link #close}
 * closes it.
 */
final class LocalWarehouse implements AutoCloseable {

    /** How far the warehouse has got: rows in the passages view and the newest passage's event time. */
    record Progress(long passages, Optional<Instant> newestPassage) {}

    private static final Logger LOG = LoggerFactory.getLogger(LocalWarehouse.class);
    private static final Duration LOAD_INTERVAL = Duration.ofSeconds(1);

    private final String schema;
    private final Connection connection;
    private final S3Client s3;
    private final WarehouseLoader loader;
    private final ScheduledExecutorService loading;
    private final List<WarehouseLoader.Load> loads = new ArrayList<>();

    private LocalWarehouse(String schema, Connection connection, S3Client s3, WarehouseLoader loader) {
        this.schema = schema;
        this.connection = connection;
        this.s3 = s3;
        this.loader = loader;
        this.loading = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "warehouse-loader");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A schema named after the run's prefix, the warehouse's DDL in it, and the loader started. */
    static LocalWarehouse start(
            Warehouse warehouse,
            S3Client s3,
            LocalResources.ArchiveDestination archive,
            String prefix,
            Path repositoryRoot)
            throws SQLException, IOException {
        String schema = schemaOf(prefix);
        Connection connection = warehouse.connect();
        try {
            WarehouseLoader.createSchema(connection, schema, repositoryRoot);
        } catch (SQLException | IOException | RuntimeException e) {
            connection.close();
            s3.close();
            throw e;
        }
        LocalWarehouse local = new LocalWarehouse(
                schema,
                connection,
                s3,
                new WarehouseLoader(connection, s3, archive.bucket(), archive.prefix(), archive.gzip()));
        local.loading.scheduleWithFixedDelay(local::loadQuietly, 0, LOAD_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return local;
    }

    /** The run's schema: its prefix in lower case, with underscores. */
    static String schemaOf(String prefix) {
        return prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    String schema() {
        return schema;
    }

    private void loadQuietly() {
        try {
            loadNewObjects();
        } catch (Exception e) {
            // The next round tries again, as Firehose retries a COPY.
            LOG.warn("loading the archive into the warehouse failed; trying again", e);
        }
    }

    private synchronized List<WarehouseLoader.Load> loadNewObjects() throws SQLException {
        List<WarehouseLoader.Load> loaded = loader.loadNewObjects();
        loads.addAll(loaded);
        return loaded;
    }

    /** The passages queryable so far, or nothing (logged) if the warehouse cannot be read now. */
    synchronized Optional<Progress> progress() {
        try {
            return rows(
                            connection,
                            "SELECT count(*), max(eventtime) FROM toll_passages",
                            row -> new Progress(
                                    row.getLong(1),
                                    Optional.ofNullable(row.getObject(2, OffsetDateTime.class))
                                            .map(OffsetDateTime::toInstant)))
                    .stream()
                    .findFirst();
        } catch (SQLException e) {
            LOG.warn("cannot read the warehouse's progress", e);
            return Optional.empty();
        }
    }

    /**
     * Stops loading in the background and loads what is left: call once every record is in
     * the archive.
     */
    Output finish() throws SQLException, InterruptedException {
        loading.shutdown();
        if (!loading.awaitTermination(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the warehouse's loader did not stop within a minute");
        }
        while (!loadNewObjects().isEmpty()) {
            // Objects that arrived while the last round ran.
        }
        synchronized (this) {
            return new Output(schema, List.copyOf(loads), passages(connection), loadedAt(), sightingsOfPassages());
        }
    }

    /**
     * What the warehouse holds at the end of a run.
     *
     * @param loads every archive object loaded, in order
     * @param passages the passages view, in load order
     * @param loadedAt when each passage (by event id) became queryable
     * @param sightingsOfPassages rows of the table whose event id is a passage's: every sighting,
     *     re-sent duplicates included
     */
    record Output(
            String schema,
            List<WarehouseLoader.Load> loads,
            List<TollEvent> passages,
            Map<String, Instant> loadedAt,
            long sightingsOfPassages) {
        long objectsFailed() {
            return loads.stream().filter(load -> load.failure() != null).count();
        }
    }

    /** The passages view of the connection's schema, in load order. */
    static List<TollEvent> passages(Connection connection) throws SQLException {
        return rows(
                connection,
                "SELECT eventid, stationid, laneid, transceiverid, customerid, vehicleclass, amountcents, eventtime"
                        + " FROM toll_passages ORDER BY loadedat, eventid",
                row -> new TollEvent(
                        row.getString(1),
                        row.getString(2),
                        row.getInt(3),
                        row.getString(4),
                        row.getString(5),
                        VehicleClass.valueOf(row.getString(6)),
                        row.getInt(7),
                        row.getObject(8, OffsetDateTime.class).toInstant()));
    }

    private long sightingsOfPassages() throws SQLException {
        return rows(
                        connection,
                        "SELECT count(*) FROM toll_events WHERE eventid IN (SELECT eventid FROM toll_passages)",
                        row -> row.getLong(1))
                .get(0);
    }

    private Map<String, Instant> loadedAt() throws SQLException {
        return rows(
                        connection,
                        "SELECT eventid, loadedat FROM toll_passages",
                        row -> Map.entry(
                                row.getString(1),
                                row.getObject(2, OffsetDateTime.class).toInstant()))
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** One row of a query's result, as a value. */
    interface Row<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** Every row of {@code sql}'s result, each read by {@code read}. */
    static <T> List<T> rows(Connection connection, String sql, Row<T> read) throws SQLException {
        List<T> values = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            while (row.next()) {
                values.add(read.read(row));
            }
        }
        return values;
    }

    @Override
    public void close() {
        loading.shutdownNow();
        try {
            if (!loading.awaitTermination(1, TimeUnit.MINUTES)) {
                LOG.warn("the warehouse's loader did not stop within a minute");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("closing the warehouse connection failed", e);
        }
        s3.close();
    }
}
