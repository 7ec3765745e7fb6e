package org.abctolls.localpipeline;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TollEventParseResult;
import org.abctolls.domain.TollEventRules;
import org.abctolls.domain.TollJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The warehouse's load on the kit, for each new object of the raw archive, in the order
 * written: a row for each record that follows the contract (judged by the contract's own
 * parser, {@link TollJson}, against the load's clock), and each record that does not counted
 * and logged with the reason, never stopping the load. Each object loads once, in one
 * transaction with its line in {@code loaded_objects}, so a loader started again resumes
 * where the last one stopped. An object that cannot be read at all (not gzip, cut short) is
 * recorded as failed, with the reason, and skipped, as Firehose skips a file after its COPY
 * retries.
 */
public final class WarehouseLoader {

    /** What the load of one archive object did. */
    public record Load(String objectKey, int rowsLoaded, int recordsRefused, String failure) {}

    private static final Logger LOG = LoggerFactory.getLogger(WarehouseLoader.class);
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String INSERT = "INSERT INTO toll_events"
            + " (eventid, stationid, laneid, transceiverid, customerid, vehicleclass, amountcents, eventtime)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private final Connection connection;
    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final boolean gzip;

    /**
     * @param connection a connection whose search path is the warehouse's schema (see {@link #createSchema})
     * @param gzip whether the delivery stream compresses its objects (the template's {@code CompressionFormat})
     */
    public WarehouseLoader(Connection connection, S3Client s3, String bucket, String prefix, boolean gzip) {
        this.connection = connection;
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.gzip = gzip;
    }

    /** The Redshift DDL that the stack runs at deploy time: every file, in name order. */
    static final String DDL_DIR = "infra/sql";

    /**
     * Makes the warehouse's tables and view in a schema of their own (one per run, like the
     * kit's other resources) from the Redshift DDL of {@code infra/sql/}, and points the
     * connection's search path at it.
     */
    public static void createSchema(Connection connection, String schema, Path repositoryRoot)
            throws SQLException, IOException {
        if (!SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("not a plain schema name: " + schema);
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            statement.execute("SET search_path TO " + schema);
            for (Path file : ddlFiles(repositoryRoot)) {
                statement.execute(RedshiftToPostgres.translate(Files.readString(file, StandardCharsets.UTF_8)));
            }
            // Which archive objects are loaded: Firehose keeps this in its own manifests on AWS.
            statement.execute("CREATE TABLE IF NOT EXISTS loaded_objects ("
                    + " objectkey VARCHAR(1024) PRIMARY KEY,"
                    + " loadedat TIMESTAMPTZ NOT NULL DEFAULT now(),"
                    + " rowsloaded INTEGER NOT NULL,"
                    + " recordsrefused INTEGER NOT NULL,"
                    + " failure VARCHAR(1024))");
        }
    }

    static List<Path> ddlFiles(Path repositoryRoot) throws IOException {
        try (Stream<Path> files = Files.list(repositoryRoot.resolve(DDL_DIR))) {
            return files.filter(file -> file.toString().endsWith(".sql"))
                    .sorted()
                    .toList();
        }
    }

    /**
     * Loads every archive object not loaded yet, in the order written: the kit's Firehose names
     * each object after the instant it wrote it, to the nanosecond.
     */
    public List<Load> loadNewObjects() throws SQLException {
        Set<String> loaded = loadedKeys();
        List<S3Object> pending = s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
                .filter(object -> !loaded.contains(object.key()))
                .sorted(Comparator.comparing(S3Object::key))
                .toList();
        List<Load> loads = new ArrayList<>();
        for (S3Object object : pending) {
            loads.add(load(object.key()));
        }
        return loads;
    }

    private Set<String> loadedKeys() throws SQLException {
        return new HashSet<>(
                LocalWarehouse.rows(connection, "SELECT objectkey FROM loaded_objects", row -> row.getString(1)));
    }

    private Load load(String key) throws SQLException {
        byte[] stored = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            Load load;
            try {
                load = loadRecords(key, ArchivedRecords.split(contentOf(stored)));
            } catch (IOException e) {
                load = new Load(key, 0, 0, "cannot read the object: " + e);
                LOG.warn("archive object {} not loaded: {}", key, load.failure());
            }
            try (PreparedStatement done = connection.prepareStatement(
                    "INSERT INTO loaded_objects (objectkey, rowsloaded, recordsrefused, failure) VALUES (?, ?, ?, ?)")) {
                done.setString(1, key);
                done.setInt(2, load.rowsLoaded());
                done.setInt(3, load.recordsRefused());
                done.setString(4, load.failure());
                done.executeUpdate();
            }
            connection.commit();
            return load;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private byte[] contentOf(byte[] stored) throws IOException {
        if (!gzip) {
            return stored;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(stored))) {
            return in.readAllBytes();
        }
    }

    private Load loadRecords(String key, List<ArchivedRecords.Piece> pieces) throws SQLException {
        Instant latestAcceptable =
                TollEventRules.latestAcceptableEventTime(Instant.now(), TollEventRules.DEFAULT_FUTURE_TOLERANCE);
        List<TollEvent> valid = new ArrayList<>();
        int refused = 0;
        for (ArchivedRecords.Piece piece : pieces) {
            String refusal = piece.refusal();
            if (piece.isObject()) {
                TollEventParseResult parsed = TollJson.parseTollEvent(piece.bytes(), latestAcceptable);
                if (parsed instanceof TollEventParseResult.Valid passage) {
                    valid.add(passage.event());
                    continue;
                }
                refusal = ((TollEventParseResult.Malformed) parsed).reason();
            }
            refused++;
            LOG.info("{} at byte {}: record not loaded: {}", key, piece.offset(), refusal);
        }
        int[] loadedAndRefused = new int[2];
        insert(key, valid, loadedAndRefused);
        return new Load(key, loadedAndRefused[0], refused + loadedAndRefused[1], null);
    }

    /**
     * Inserts the passages in one batch; when one of them cannot be stored (PostgreSQL keeps no
     * NUL character in text), halves the batch until that passage is alone, so every other one
     * still loads, in order.
     */
    private void insert(String key, List<TollEvent> passages, int[] loadedAndRefused) throws SQLException {
        if (passages.isEmpty()) {
            return;
        }
        Savepoint before = connection.setSavepoint();
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (TollEvent passage : passages) {
                insert.setString(1, passage.eventId());
                insert.setString(2, passage.stationId());
                insert.setInt(3, passage.laneId());
                insert.setString(4, passage.transceiverId());
                insert.setString(5, passage.customerId());
                insert.setString(6, passage.vehicleClass().name());
                insert.setInt(7, passage.amountCents());
                insert.setObject(8, passage.eventTime().atOffset(ZoneOffset.UTC));
                insert.addBatch();
            }
            insert.executeBatch();
            connection.releaseSavepoint(before);
            loadedAndRefused[0] += passages.size();
        } catch (SQLException e) {
            connection.rollback(before);
            if (passages.size() == 1) {
                loadedAndRefused[1]++;
                LOG.info("{}: passage {} not loaded: {}", key, passages.get(0).eventId(), e.getMessage());
                return;
            }
            int half = passages.size() / 2;
            insert(key, passages.subList(0, half), loadedAndRefused);
            insert(key, passages.subList(half, passages.size()), loadedAndRefused);
        }
    }
}
