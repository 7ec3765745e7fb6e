package org.abctolls.localpipeline;

import java.util.regex.Pattern;

/**
 * The one place where the warehouse's Redshift DDL ({@code infra/sql/}) is changed for the
 * kit's PostgreSQL, and the SQL of the loader users: everything else runs as written.
 * Redshift's physical layout clauses have no PostgreSQL meaning; its identity column, clock
 * function and disabled password have other names.
 */
final class RedshiftToPostgres {

    private static final Pattern DISTRIBUTION_AND_SORT_KEYS =
            Pattern.compile("\\s*\\b(DISTKEY|SORTKEY)\\s*\\([^)]*\\)", Pattern.CASE_INSENSITIVE);
    private static final Pattern IDENTITY = Pattern.compile("\\bIDENTITY\\s*\\(\\s*1\\s*,\\s*1\\s*\\)");
    private static final Pattern GETDATE = Pattern.compile("\\bGETDATE\\(\\)", Pattern.CASE_INSENSITIVE);
    private static final Pattern NO_PASSWORD = Pattern.compile("\\bPASSWORD\\s+DISABLE\\b", Pattern.CASE_INSENSITIVE);

    private RedshiftToPostgres() {}

    static String translate(String redshiftSql) {
        String sql = DISTRIBUTION_AND_SORT_KEYS.matcher(redshiftSql).replaceAll("");
        sql = IDENTITY.matcher(sql).replaceAll("GENERATED ALWAYS AS IDENTITY");
        // Both stamp a row with the time it was loaded (by one COPY, or one archive object here).
        sql = GETDATE.matcher(sql).replaceAll("now()");
        // A user who cannot log in with a password until one is set (the loader users' SQL).
        return NO_PASSWORD.matcher(sql).replaceAll("PASSWORD NULL");
    }
}
