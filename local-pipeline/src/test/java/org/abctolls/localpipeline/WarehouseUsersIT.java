package org.abctolls.localpipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.abctolls.functions.WarehouseUsers;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.LocalAwsExtension;
import org.abctolls.localkit.LocalKit;
import org.abctolls.localkit.UniqueNames;
import org.abctolls.localkit.Warehouse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The loader users' SQL, as the deploy-time schema and the password rotation send it to
 * Redshift, run on the kit's PostgreSQL (Redshift's ancestor, with the same privileges and
 * password forms) over the table's own DDL: the users may INSERT into {@code toll_events} and
 * do nothing else, running it again converges, and a rotation gives the other user a password.
 * That the MD5 form is the right one is {@code WarehouseUsersTest}'s: the kit's PostgreSQL
 * trusts loopback connections, so no test here logs in with a password.
 */
@ExtendWith(LocalAwsExtension.class)
class WarehouseUsersIT {

    private static final String TABLE = "toll_events";
    private static final String ROW = "INSERT INTO toll_events"
            + " (eventid, stationid, laneid, transceiverid, customerid, vehicleclass, amountcents, eventtime)"
            + " VALUES ('e1', 'S0001', 1, 'T0000001', 'C0000001', 'CAR', 250, '2026-11-26T08:00:00Z')";

    private Warehouse warehouse;
    private String schema;
    private WarehouseUsers.Credentials loader;

    @BeforeEach
    void aSchemaWithTheWarehouseDdl(AwsTarget aws) throws Exception {
        assumeTrue(aws.warehouse().isPresent(), "no local warehouse on " + aws);
        warehouse = aws.warehouse().orElseThrow();
        schema = UniqueNames.of("users").toLowerCase(Locale.ROOT).replace('-', '_');
        // User names are global to the server: unique per run, like the schema.
        loader = new WarehouseUsers.Credentials(schema + "_loader", "Secret-Pass1");
        try (Connection connection = warehouse.connect()) {
            WarehouseLoader.createSchema(
                    connection, schema, LocalKit.find(System.getenv()).repositoryRoot());
        }
    }

    @AfterEach
    void dropTheUsersAndTheSchema() throws SQLException {
        if (warehouse == null) {
            return;
        }
        try (Connection connection = warehouse.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            for (String user : List.of(loader.username(), WarehouseUsers.alternate(loader.username()))) {
                statement.execute("DROP USER IF EXISTS \"" + user + "\"");
            }
        }
    }

    @Test
    void theLoaderUsersMayInsertIntoTheTableAndNothingElse() throws Exception {
        String other = WarehouseUsers.alternate(loader.username());
        try (Connection connection = connectToSchema();
                Statement statement = connection.createStatement()) {
            runAsTheSchemaResourceWould(statement, loader);

            assertThat(storedPassword(statement, loader.username())).isEqualTo(WarehouseUsers.md5Password(loader));
            assertThat(storedPassword(statement, other))
                    .as("the other user cannot log in yet")
                    .isNull();
            assertThat(queryBoolean(statement, WarehouseUsers.canLoad(loader.username(), schema, TABLE)))
                    .isTrue();
            assertThat(queryBoolean(statement, WarehouseUsers.canLoad(other, schema, TABLE)))
                    .isTrue();

            statement.execute("SET ROLE \"" + loader.username() + "\"");
            assertThat(statement.executeUpdate(ROW)).isEqualTo(1);
            for (String forbidden : List.of(
                    "SELECT count(*) FROM toll_events",
                    "SELECT count(*) FROM toll_passages",
                    "UPDATE toll_events SET amountcents = 0",
                    "DELETE FROM toll_events",
                    "TRUNCATE toll_events",
                    "DROP TABLE toll_events",
                    "INSERT INTO loaded_objects (objectkey, rowsloaded, recordsrefused) VALUES ('k', 0, 0)",
                    "CREATE TABLE elsewhere (a INT)")) {
                assertThatThrownBy(() -> statement.execute(forbidden))
                        .as(forbidden)
                        .isInstanceOf(SQLException.class)
                        .hasMessageMatching("(?s).*(permission denied|must be owner).*");
            }
            statement.execute("RESET ROLE");
            assertThat(count(statement, "SELECT count(*) FROM toll_events")).isEqualTo(1);
        }
    }

    @Test
    void runningItAgainAfterARotationConvergesAndKeepsBothUsersAbleToLoad() throws Exception {
        WarehouseUsers.Credentials rotated =
                new WarehouseUsers.Credentials(WarehouseUsers.alternate(loader.username()), "Rotated-Pass2");
        try (Connection connection = connectToSchema();
                Statement statement = connection.createStatement()) {
            runAsTheSchemaResourceWould(statement, loader);
            // What a rollback that kept the users leaves: a second Create must not fail.
            runAsTheSchemaResourceWould(statement, loader);

            runAsRedshiftWould(statement, List.of(WarehouseUsers.setPassword(rotated)));
            runAsTheSchemaResourceWould(statement, rotated);

            assertThat(storedPassword(statement, rotated.username())).isEqualTo(WarehouseUsers.md5Password(rotated));
            assertThat(storedPassword(statement, loader.username())).isEqualTo(WarehouseUsers.md5Password(loader));
            assertThat(queryBoolean(statement, WarehouseUsers.canLoad(rotated.username(), schema, TABLE)))
                    .isTrue();
            statement.execute("REVOKE INSERT ON toll_events FROM \"" + rotated.username() + "\"");
            assertThat(queryBoolean(statement, WarehouseUsers.canLoad(rotated.username(), schema, TABLE)))
                    .as("the rotation's check refuses a user that may not load")
                    .isFalse();
        }
    }

    /**
     * As {@code WarehouseSchemaHandler} does: which users exist, then the statements for them.
     * Redshift lets every user use and create in its {@code public} schema; the kit's schema per
     * run is given the same defaults first, so that the SQL must take CREATE back itself.
     */
    private void runAsTheSchemaResourceWould(Statement statement, WarehouseUsers.Credentials current)
            throws SQLException {
        statement.execute("GRANT USAGE, CREATE ON SCHEMA " + schema + " TO PUBLIC");
        Set<String> existing = new HashSet<>();
        try (ResultSet users = statement.executeQuery(WarehouseUsers.existingUsers(current.username()))) {
            while (users.next()) {
                existing.add(users.getString(1));
            }
        }
        runAsRedshiftWould(statement, WarehouseUsers.statements(current, existing, schema, TABLE));
    }

    private static void runAsRedshiftWould(Statement statement, List<String> sqls) throws SQLException {
        for (String sql : sqls) {
            statement.execute(RedshiftToPostgres.translate(sql));
        }
    }

    private static String storedPassword(Statement statement, String user) throws SQLException {
        try (ResultSet result =
                statement.executeQuery("SELECT rolpassword FROM pg_authid WHERE rolname = '" + user + "'")) {
            assertThat(result.next()).as("user " + user + " exists").isTrue();
            return result.getString(1);
        }
    }

    private static boolean queryBoolean(Statement statement, String sql) throws SQLException {
        try (ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getBoolean(1);
        }
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private Connection connectToSchema() throws SQLException {
        Connection connection = warehouse.connect();
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + schema);
        }
        return connection;
    }
}
