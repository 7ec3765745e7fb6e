package org.abctolls.localkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Where the kit's warehouse (PostgreSQL standing in for Redshift) answers. */
public record Warehouse(String jdbcUrl) {

    /** The setting in the kit's endpoints file (and {@code ./tolls local env}) that names it. */
    public static final String JDBC_URL_VARIABLE = "TOLLS_WAREHOUSE_JDBC_URL";

    static String jdbcUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl);
    }
}
