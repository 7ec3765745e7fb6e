package org.abctolls.localpipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
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
 * Redshift, run on the kit's PostgreSQL (Redshift's ancestor, with the same MD5 password form
 * and privileges) over the table's own DDL: the users may INSERT into {@code toll_events} and
 * do nothing else, and a rotation hands the password to the other user.
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
            runAsRedshiftWould(statement, WarehouseUsers.create(loader, TABLE));
            // Redshift's tables live in the public schema, which every user may use; the kit's
            // schema per run needs saying so.
            statement.execute(
                    "GRANT USAGE ON SCHEMA " + schema + " TO \"" + loader.username() + "\", \"" + other + "\"");

            assertThat(storedPassword(statement, loader.username())).isEqualTo(WarehouseUsers.md5Password(loader));
            assertThat(storedPassword(statement, other))
                    .as("the other user cannot log in yet")
                    .isNull();
            assertThat(queryBoolean(statement, WarehouseUsers.canLoad(loader.username(), TABLE)))
                    .isTrue();
            assertThat(queryBoolean(statement, WarehouseUsers.canLoad(other, TABLE)))
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
    void aRotationGivesTheOtherUserItsPasswordAndALaterDeploymentKeepsTheGrant() throws Exception {
        WarehouseUsers.Credentials rotated =
                new WarehouseUsers.Credentials(WarehouseUsers.alternate(loader.username()), "Rotated-Pass2");
        try (Connection connection = connectToSchema();
                Statement statement = connection.createStatement()) {
            runAsRedshiftWould(statement, WarehouseUsers.create(loader, TABLE));

            runAsRedshiftWould(statement, List.of(WarehouseUsers.setPassword(rotated)));
            runAsRedshiftWould(statement, WarehouseUsers.update(rotated, TABLE));

            assertThat(storedPassword(statement, rotated.username())).isEqualTo(WarehouseUsers.md5Password(rotated));
            assertThat(storedPassword(statement, loader.username())).isEqualTo(WarehouseUsers.md5Password(loader));
            assertThat(queryBoolean(statement, WarehouseUsers.canLoad(rotated.username(), TABLE)))
                    .isTrue();
            statement.execute("REVOKE INSERT ON toll_events FROM \"" + rotated.username() + "\"");
            assertThat(queryBoolean(statement, WarehouseUsers.canLoad(rotated.username(), TABLE)))
                    .as("the rotation's check refuses a user that may not load")
                    .isFalse();
        }
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
