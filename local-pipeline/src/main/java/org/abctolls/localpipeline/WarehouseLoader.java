package org.abctolls.localpipeline;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What Firehose's {@code COPY toll_events FROM ... FORMAT AS JSON 'auto ignorecase' GZIP
 * MAXERROR} does on AWS, done here for each new object of the raw archive, oldest first: a
 * row for each record that loads, and each record that does not counted and logged, never
 * stopping the load. Each object loads once, in one transaction with its line in
 * {@code loaded_objects}, so a loader started again resumes where the last one stopped. An
 * object that cannot be read at all (not gzip, cut short) is recorded as failed, with the
 * reason, and skipped, as Firehose skips a file after its COPY retries.
 */
public final class WarehouseLoader {

    /** What the load of one archive object did. */
    public record Load(String objectKey, int rowsLoaded, int recordsRefused, String failure) {}

    private static final Logger LOG = LoggerFactory.getLogger(WarehouseLoader.class);
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String COLUMNS =
            "eventid, stationid, laneid, transceiverid, customerid, vehicleclass, amountcents, eventtime";
    private static final String INSERT = "INSERT INTO toll_events (" + COLUMNS + ") SELECT "
            + COLUMNS.replaceAll("(\\w+)", "r.$1")
            + " FROM json_array_elements(?::json) WITH ORDINALITY AS j(record, position)"
            + " CROSS JOIN LATERAL json_populate_record(NULL::toll_events, j.record) AS r"
            + " ORDER BY j.position";

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

    /** Loads every archive object not loaded yet, oldest first. */
    public List<Load> loadNewObjects() throws SQLException {
        Set<String> loaded = loadedKeys();
        List<S3Object> pending = s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
                .filter(object -> !loaded.contains(object.key()))
                .sorted(Comparator.comparing(S3Object::lastModified).thenComparing(S3Object::key))
                .toList();
        List<Load> loads = new ArrayList<>();
        for (S3Object object : pending) {
            loads.add(load(object.key()));
        }
        return loads;
    }

    private Set<String> loadedKeys() throws SQLException {
        Set<String> keys = new HashSet<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT objectkey FROM loaded_objects")) {
            while (rows.next()) {
                keys.add(rows.getString(1));
            }
        }
        return keys;
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
        List<ArchivedRecords.Piece> candidates = new ArrayList<>();
        int refused = 0;
        for (ArchivedRecords.Piece piece : pieces) {
            if (piece.loads()) {
                candidates.add(piece);
            } else {
                refused++;
                LOG.info("{} at byte {}: record not loaded: {}", key, piece.offset(), piece.refusal());
            }
        }
        int[] counts = new int[2];
        insert(key, candidates, counts);
        return new Load(key, counts[0], refused + counts[1], null);
    }

    /**
     * Inserts the records in one statement; when one of them cannot load (a missing field, a
     * value of the wrong type or length), halves the batch until that record is alone, so the
     * cost of a bad record is a few statements and every other record still loads, in order.
     */
    private void insert(String key, List<ArchivedRecords.Piece> pieces, int[] loadedAndRefused) throws SQLException {
        if (pieces.isEmpty()) {
            return;
        }
        Savepoint before = connection.setSavepoint();
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, jsonArray(pieces));
            loadedAndRefused[0] += insert.executeUpdate();
            connection.releaseSavepoint(before);
        } catch (SQLException e) {
            connection.rollback(before);
            if (pieces.size() == 1) {
                loadedAndRefused[1]++;
                LOG.info(
                        "{} at byte {}: record not loaded: {}",
                        key,
                        pieces.get(0).offset(),
                        e.getMessage());
                return;
            }
            int half = pieces.size() / 2;
            insert(key, pieces.subList(0, half), loadedAndRefused);
            insert(key, pieces.subList(half, pieces.size()), loadedAndRefused);
        }
    }

    private static String jsonArray(List<ArchivedRecords.Piece> pieces) {
        StringBuilder array = new StringBuilder("[");
        for (ArchivedRecords.Piece piece : pieces) {
            if (array.length() > 1) {
                array.append(',');
            }
            array.append(piece.fields().toString());
        }
        return array.append(']').toString();
    }
}
