package org.abctolls.functions;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.StatementStatusString;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.SubStatementData;

/**
 * SQL run in the warehouse as its admin, through the Redshift Data API: no connection, no
 * driver, no network path to the workgroup needed, and the admin's password read by the Data
 * API from the secret Redshift manages (and rotates) for the namespace.
 *
 * <p>Statements run asynchronously: {@link #submit} returns at once and {@link #status} tells
 * how one ended. {@link #run}, {@link #queryBoolean} and {@link #queryStrings} poll until
 * their statement ended, for the short statements of a rotation step or of the schema's
 * check of its users; the function's timeout bounds the wait.
 */
final class WarehouseAdmin {

    /** Where a statement is, as far as its caller cares. */
    enum State {
        RUNNING,
        FINISHED,
        FAILED
    }

    /** @param error Redshift's message, for a failed statement */
    record Status(State state, String error) {}

    /** Thrown when a statement failed or was aborted; carries Redshift's message, never the SQL. */
    static final class StatementFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StatementFailed(String message) {
            super(message);
        }
    }

    /** @param adminSecretArn the namespace's admin credentials, as Redshift manages them */
    record Target(String workgroupName, String database, String adminSecretArn) {}

    private final RedshiftDataClient redshiftData;
    private final Target target;
    private final Duration pollInterval;

    WarehouseAdmin(RedshiftDataClient redshiftData, Target target, Duration pollInterval) {
        this.redshiftData = redshiftData;
        this.target = target;
        this.pollInterval = pollInterval;
    }

    /** Submits the statements to run in order, in one transaction; returns the statement's id. */
    String submit(List<String> sqls, String statementName) {
        return redshiftData
                .batchExecuteStatement(request -> request.workgroupName(target.workgroupName())
                        .database(target.database())
                        .secretArn(target.adminSecretArn())
                        .statementName(statementName)
                        .sqls(sqls))
                .id();
    }

    Status status(String statementId) {
        DescribeStatementResponse statement = redshiftData.describeStatement(request -> request.id(statementId));
        return switch (statement.status()) {
            case SUBMITTED, PICKED, STARTED -> new Status(State.RUNNING, null);
            case FINISHED -> new Status(State.FINISHED, null);
            case FAILED, ABORTED -> new Status(State.FAILED, errorOf(statement));
            default -> new Status(State.FAILED, "the statement's status is " + statement.statusAsString());
        };
    }

    /**
     * Redshift's message: a batch's is on the statement in it that failed. Never its SQL, which
     * may hold a password's MD5 form.
     */
    private static String errorOf(DescribeStatementResponse statement) {
        if (statement.status() == StatusString.ABORTED) {
            return "the statement was aborted";
        }
        if (statement.error() != null && !statement.error().isBlank()) {
            return statement.error();
        }
        List<SubStatementData> parts = statement.subStatements();
        for (int i = 0; i < parts.size(); i++) {
            SubStatementData part = parts.get(i);
            if (part.status() == StatementStatusString.FAILED || part.status() == StatementStatusString.ABORTED) {
                return "statement " + (i + 1) + " of " + parts.size() + ": " + part.error();
            }
        }
        return "no message from Redshift";
    }

    /** Runs one statement and waits until it finished; throws {@link StatementFailed} if it did not. */
    void run(String sql, String statementName) {
        awaitFinished(submitOne(sql, statementName), statementName);
    }

    /** Runs a query whose answer is one boolean, and waits for it. */
    boolean queryBoolean(String sql, String statementName) {
        List<List<Field>> records = query(sql, statementName);
        if (records.size() != 1 || records.get(0).size() != 1) {
            throw new StatementFailed(statementName + " returned " + records.size() + " rows, not one value");
        }
        Field value = records.get(0).get(0);
        return Boolean.TRUE.equals(value.booleanValue()) || "true".equalsIgnoreCase(value.stringValue());
    }

    /** Runs a query and waits for it; returns the text in the first column of each row. */
    Set<String> queryStrings(String sql, String statementName) {
        Set<String> values = new LinkedHashSet<>();
        for (List<Field> row : query(sql, statementName)) {
            values.add(row.get(0).stringValue());
        }
        return values;
    }

    private List<List<Field>> query(String sql, String statementName) {
        String id = submitOne(sql, statementName);
        awaitFinished(id, statementName);
        GetStatementResultResponse result = redshiftData.getStatementResult(request -> request.id(id));
        return result.records();
    }

    private String submitOne(String sql, String statementName) {
        return redshiftData
                .executeStatement(request -> request.workgroupName(target.workgroupName())
                        .database(target.database())
                        .secretArn(target.adminSecretArn())
                        .statementName(statementName)
                        .sql(sql))
                .id();
    }

    private void awaitFinished(String statementId, String statementName) {
        while (true) {
            Status status = status(statementId);
            switch (status.state()) {
                case FINISHED -> {
                    return;
                }
                case FAILED -> throw new StatementFailed(
                        statementName + " (" + statementId + ") failed: " + status.error());
                case RUNNING -> pause();
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(pollInterval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a warehouse statement", e);
        }
    }
}
