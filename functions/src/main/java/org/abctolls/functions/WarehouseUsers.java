package org.abctolls.functions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The warehouse's loader users, as the SQL that makes them: Firehose COPYs as a user that may
 * only INSERT into the toll table, never as the admin.
 *
 * <p>Two such users, because their password rotates by Secrets Manager's alternating-users
 * strategy: a rotation sets a new password on the user Firehose is not using, and Firehose
 * moves to that user when the secret's new version becomes current. No COPY ever runs with a
 * password the database has stopped accepting, as it would between the two steps of changing
 * a single user's password.
 *
 * <p>A password reaches the database only as PostgreSQL's MD5 form, {@code md5} followed by
 * the hex MD5 of password and user name, which Redshift takes in {@code CREATE USER} and
 * {@code ALTER USER}: the statement text, which the Data API keeps for a day, never holds the
 * password itself. The MD5 form is still as good as the password for MD5 authentication, so
 * that text is as sensitive as the secret (README, "Warehouse schema and users").
 */
public final class WarehouseUsers {

    private static final String ALTERNATE_SUFFIX = "_clone";

    /** Lower case, so that the name Redshift stores is the one the password is hashed with. */
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,56}");

    /** A loader user's credentials, as the loader secret holds them. */
    public record Credentials(String username, String password) {
        public Credentials {
            requireName(username, "user name");
            Objects.requireNonNull(password, "password");
            if (password.isEmpty()) {
                throw new IllegalArgumentException("the password of " + username + " is empty");
            }
        }

        @Override
        public String toString() {
            return "Credentials[username=" + username + ", password=(hidden)]";
        }
    }

    private WarehouseUsers() {}

    /** The user that takes over at the next rotation: {@code tolls_loader} and {@code tolls_loader_clone} alternate. */
    public static String alternate(String username) {
        requireName(username, "user name");
        String alternate = username.endsWith(ALTERNATE_SUFFIX)
                ? username.substring(0, username.length() - ALTERNATE_SUFFIX.length())
                : username + ALTERNATE_SUFFIX;
        return requireName(alternate, "alternate user name");
    }

    /** The names of those of the two loader users that exist already (one column, {@code usename}). */
    public static String existingUsers(String username) {
        return "SELECT usename FROM pg_user WHERE usename IN ('" + requireName(username, "user name") + "', '"
                + alternate(username) + "')";
    }

    /**
     * Both users, allowed to INSERT into {@code schema.table} and nothing else, whatever of
     * them exists already, so that running it again (a later deployment, or a deployment after
     * a rollback that kept the users) converges instead of failing. The user the secret names
     * gets its password; the other, when it is made, gets none (it cannot log in) until a
     * rotation gives it one. Redshift lets every user create tables in the {@code public}
     * schema by default; that is taken back from everyone.
     *
     * @param existing the result of {@link #existingUsers}
     */
    public static List<String> statements(Credentials current, Set<String> existing, String schema, String table) {
        String other = alternate(current.username());
        List<String> statements = new ArrayList<>();
        statements.add(
                existing.contains(current.username())
                        ? setPassword(current)
                        : "CREATE USER " + quoted(current.username()) + " PASSWORD '" + md5Password(current) + "'");
        if (!existing.contains(other)) {
            statements.add("CREATE USER " + quoted(other) + " PASSWORD DISABLE");
        }
        statements.add("REVOKE CREATE ON SCHEMA " + quoted(requireName(schema, "schema name")) + " FROM PUBLIC");
        statements.add("GRANT INSERT ON TABLE " + qualified(schema, table) + " TO " + quoted(current.username()) + ", "
                + quoted(other));
        return statements;
    }

    public static String setPassword(Credentials credentials) {
        return "ALTER USER " + quoted(credentials.username()) + " PASSWORD '" + md5Password(credentials) + "'";
    }

    /**
     * The check before a rotated password becomes current: may the user reach the schema and
     * INSERT into the table? It checks privileges, not the password.
     */
    public static String canLoad(String username, String schema, String table) {
        return "SELECT has_schema_privilege('" + requireName(username, "user name") + "', '"
                + requireName(schema, "schema name") + "', 'USAGE') AND has_table_privilege('" + username + "', '"
                + schema + "." + requireName(table, "table name") + "', 'INSERT')";
    }

    public static String md5Password(Credentials credentials) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5")
                    .digest((credentials.password() + credentials.username()).getBytes(StandardCharsets.UTF_8));
            return "md5" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has MD5", e);
        }
    }

    private static String qualified(String schema, String table) {
        return quoted(requireName(schema, "schema name")) + "." + quoted(requireName(table, "table name"));
    }

    private static String quoted(String name) {
        return '"' + name + '"';
    }

    private static String requireName(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "the " + what + " '" + name + "' is not a lower-case SQL name of at most 57 characters");
        }
        return name;
    }
}
