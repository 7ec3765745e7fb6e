package org.abctolls.localpipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import org.abctolls.domain.TollEvent;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.LocalAwsExtension;
import org.abctolls.localkit.LocalKit;
import org.abctolls.localkit.UniqueNames;
import org.abctolls.localkit.Warehouse;
import org.abctolls.sim.Emission;
import org.abctolls.sim.Generator;
import org.abctolls.sim.Oracle;
import org.abctolls.sim.Simulation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The local warehouse's load, from archive objects as the delivery stream writes them (up to
 * 500 records back to back, gzipped) into the kit's PostgreSQL, through the same DDL as
 * Redshift's: the passages view must be exactly the oracle's distinct valid passages.
 */
@ExtendWith(LocalAwsExtension.class)
class WarehouseLoaderIT {

    private static final int RECORDS_PER_OBJECT = 500;

    private AwsTarget aws;
    private Warehouse warehouse;
    private String bucket;
    private String schema;

    @BeforeEach
    void aBucketAndASchema(AwsTarget aws) throws Exception {
        assumeTrue(aws.warehouse().isPresent(), "no local warehouse on " + aws);
        this.aws = aws;
        this.warehouse = aws.warehouse().orElseThrow();
        String name = UniqueNames.of("warehouse").toLowerCase(Locale.ROOT);
        bucket = name;
        schema = name.replace('-', '_');
        try (S3Client s3 = aws.s3();
                Connection connection = warehouse.connect()) {
            s3.createBucket(r -> r.bucket(bucket));
            WarehouseLoader.createSchema(connection, schema, repositoryRoot());
        }
    }

    @Test
    void aHostileDayLoadsIntoPassagesThatAreExactlyTheOraclesAndKeepsEveryResentDuplicate() throws Exception {
        Simulation day = Generator.generate(HostileInputIT.HOSTILE_DAY);
        Oracle.Result oracle = EndToEndIT.oracleOf(day);
        List<Emission> sent =
                day.emissions().stream().filter(Emission::fitsAKinesisRecord).toList();
        try (S3Client s3 = aws.s3();
                Connection connection = connectToSchema()) {
            int objects = 0;
            for (int from = 0; from < sent.size(); from += RECORDS_PER_OBJECT) {
                putArchiveObject(s3, objects++, sent.subList(from, Math.min(sent.size(), from + RECORDS_PER_OBJECT)));
            }

            List<WarehouseLoader.Load> loads = loader(s3, connection).loadNewObjects();

            assertThat(loads).hasSize(objects).allMatch(load -> load.failure() == null);
            assertThat(loads.stream()
                            .mapToInt(WarehouseLoader.Load::recordsRefused)
                            .sum())
                    .as("records that COPY would not load (not JSON, a field missing, not UTF-8)")
                    .isPositive();
            assertThat(LocalWarehouse.passages(connection)).containsExactlyInAnyOrderElementsOf(oracle.passages());
            assertThat(count(
                            connection,
                            "SELECT count(*) FROM toll_events WHERE eventid IN"
                                    + " (SELECT eventid FROM toll_passages)"))
                    .as("every sighting of a passage, re-sent duplicates included, is in the raw table")
                    .isEqualTo(oracle.distinctPassages() + oracle.duplicates());
        }
    }

    /**
     * Records that COPY's {@code 'auto ignorecase'} would load into the columns, but that the
     * contract calls malformed: the load judges each with the contract's parser.
     */
    @Test
    void onlyRecordsThatFollowTheContractLoadHoweverCloseTheOthersComeToColumns() throws Exception {
        String valid = "{\"eventId\":\"e-1\",\"stationId\":\"S0001\",\"laneId\":3,\"transceiverId\":\"T0000001\","
                + "\"customerId\":\"C0000001\",\"vehicleClass\":\"CAR\",\"amountCents\":275,"
                + "\"eventTime\":\"2026-11-16T08:00:00.250Z\"}";
        List<String> malformed = List.of(
                valid.replace("e-1", "e-2").replace("\"eventId\"", "\"EVENTID\""),
                valid.replace("e-1", "e-3").replace("\"amountCents\":275", "\"amountCents\":-5,\"amountCents\":275"),
                valid.replace("e-1", "e-4").replace("\"laneId\":3", "\"laneId\":\"3\""),
                valid.replace("e-1", "e-5").replace("08:00:00.250Z", "09:00:00.250+01:00"),
                valid.replace("e-1", "e-6").replace(".250Z", ".2501Z"),
                valid.replace("e-1", "e-7").replace("\"S0001\"", "\"S0001   \""),
                valid.replace("e-1", "e-8").replace("\"2026-11-16T08:00:00.250Z\"", "\"now\""),
                valid.replace("\"e-1\"", "9"));
        ByteArrayOutputStream object = new ByteArrayOutputStream();
        object.writeBytes(valid.getBytes(StandardCharsets.UTF_8));
        malformed.forEach(record -> object.writeBytes(record.getBytes(StandardCharsets.UTF_8)));
        try (S3Client s3 = aws.s3();
                Connection connection = connectToSchema()) {
            ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
                gzip.write(object.toByteArray());
            }
            s3.putObject(r -> r.bucket(bucket).key(key(0)), RequestBody.fromBytes(gzipped.toByteArray()));

            List<WarehouseLoader.Load> loads = loader(s3, connection).loadNewObjects();

            assertThat(loads).singleElement().satisfies(load -> {
                assertThat(load.rowsLoaded()).isEqualTo(1);
                assertThat(load.recordsRefused()).isEqualTo(malformed.size());
            });
            assertThat(LocalWarehouse.passages(connection))
                    .extracting(TollEvent::eventId)
                    .containsExactly("e-1");
        }
    }

    @Test
    void eachObjectLoadsOnceAndALoaderStartedAgainResumesAfterTheLastLoadedObject() throws Exception {
        List<Emission> records = Generator.generate(EndToEndIT.DAY).emissions().subList(0, 1_000);
        try (S3Client s3 = aws.s3()) {
            putArchiveObject(s3, 0, records.subList(0, 500));
            try (Connection first = connectToSchema()) {
                assertThat(loader(s3, first).loadNewObjects()).hasSize(1);
            }
            putArchiveObject(s3, 1, records.subList(500, 1_000));
            try (Connection again = connectToSchema()) {
                List<WarehouseLoader.Load> loads = loader(s3, again).loadNewObjects();

                assertThat(loads).extracting(WarehouseLoader.Load::objectKey).containsExactly(key(1));
                assertThat(loader(s3, again).loadNewObjects()).isEmpty();
                assertThat(count(again, "SELECT count(*) FROM toll_events"))
                        .isEqualTo(loads.get(0).rowsLoaded()
                                + count(
                                        again,
                                        "SELECT rowsloaded FROM loaded_objects" + " WHERE objectkey = '" + key(0)
                                                + "'"));
            }
        }
    }

    @Test
    void anObjectThatIsNotGzipOrIsCutShortIsRecordedAsFailedAndTheNextObjectStillLoads() throws Exception {
        List<Emission> records = Generator.generate(EndToEndIT.DAY).emissions().subList(0, 10);
        try (S3Client s3 = aws.s3();
                Connection connection = connectToSchema()) {
            s3.putObject(r -> r.bucket(bucket).key(key(0)), RequestBody.fromString("{\"eventId\":\"plain\"}"));
            byte[] whole = gzip(records);
            byte[] cut = java.util.Arrays.copyOf(whole, whole.length / 2);
            s3.putObject(r -> r.bucket(bucket).key(key(1)), RequestBody.fromBytes(cut));
            putArchiveObject(s3, 2, records);

            List<WarehouseLoader.Load> loads = loader(s3, connection).loadNewObjects();

            assertThat(loads).extracting(WarehouseLoader.Load::objectKey).containsExactly(key(0), key(1), key(2));
            assertThat(loads.get(0).failure()).startsWith("cannot read the object");
            assertThat(loads.get(1).failure()).startsWith("cannot read the object");
            assertThat(loads.get(2).failure()).isNull();
            assertThat(count(connection, "SELECT count(*) FROM toll_events"))
                    .isEqualTo(loads.get(2).rowsLoaded());
            assertThat(count(connection, "SELECT count(*) FROM loaded_objects WHERE failure IS NOT NULL"))
                    .isEqualTo(2);
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private WarehouseLoader loader(S3Client s3, Connection connection) {
        return new WarehouseLoader(connection, s3, bucket, "raw/", true);
    }

    /**
     * The tolerance for event times ahead of the clock is the deployment's and counts from the
     * arrival on the stream, which the load judges; the view cannot: a passage stamped six
     * minutes ahead of its load, valid under a tolerance of ten, is a passage there.
     */
    @Test
    void thePassagesViewLeavesEventTimesToTheLoadsTolerance() throws Exception {
        try (Connection connection = connectToSchema();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO toll_events (eventid, stationid, laneid, transceiverid, customerid,"
                    + " vehicleclass, amountcents, eventtime) VALUES ('ahead', 'S0042', 3, 'T0000123', 'C0000123',"
                    + " 'CAR', 275, now() + INTERVAL '6 minutes')");

            assertThat(count(connection, "SELECT count(*) FROM toll_passages WHERE eventid = 'ahead'"))
                    .isEqualTo(1);
        }
    }

    private Connection connectToSchema() throws SQLException {
        Connection connection = warehouse.connect();
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + schema);
        }
        return connection;
    }

    private void putArchiveObject(S3Client s3, int index, List<Emission> records) throws IOException {
        s3.putObject(r -> r.bucket(bucket).key(key(index)), RequestBody.fromBytes(gzip(records)));
    }

    private static String key(int index) {
        return String.format("raw/2026/11/16/00/archive-%05d", index);
    }

    private static byte[] gzip(List<Emission> records) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            for (Emission record : records) {
                gzip.write(record.data());
            }
        }
        return bytes.toByteArray();
    }

    private static java.nio.file.Path repositoryRoot() {
        return LocalKit.find(System.getenv()).repositoryRoot();
    }
}
