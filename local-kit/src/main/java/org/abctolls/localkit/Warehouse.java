package org.abctolls.localkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/** Where the kit's warehouse (PostgreSQL standing in for Redshift) answers. */
public record Warehouse(String jdbcUrl) {

    /** The environment variable that {@code ./tolls local env} sets and the tests read. */
    public static final String JDBC_URL_VARIABLE = "TOLLS_WAREHOUSE_JDBC_URL";

    static String jdbcUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** The warehouse the environment names, as {@code ./tolls local env} exports it. */
    public static Warehouse fromEnvironment(Map<String, String> environment) {
        String url = environment.get(JDBC_URL_VARIABLE);
        if (url == null || url.isBlank()) {
            throw new IllegalStateException(JDBC_URL_VARIABLE
                    + " is not set: start the kit with `./tolls local up` and `eval \"$(./tolls local env)\"`");
        }
        return new Warehouse(url);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl);
    }
}
