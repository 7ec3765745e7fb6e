package org.abctolls.functions;

import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;

/**
 * SQL run in the warehouse as its admin, through the Redshift Data API: no connection, no
 * driver, no network path to the workgroup needed, and the admin's password read by the Data
 * API from the secret Redshift manages (and rotates) for the namespace.
 *
 * <p>Statements run asynchronously: {@link #submit} returns at once and {@link #status} tells
 * how one ended. {@link #run} and {@link #queryBoolean} wait, for the short statements of a
 * rotation step.
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
            case FINISHED -> new Status(State.FINISHED, null);
            case FAILED -> new Status(State.FAILED, statement.error());
            case ABORTED -> new Status(State.FAILED, "the statement was aborted");
            default -> new Status(State.RUNNING, null);
        };
    }

    /** Runs one statement and waits until it finished; throws {@link StatementFailed} if it did not. */
    void run(String sql, String statementName) {
        awaitFinished(submitOne(sql, statementName), statementName);
    }

    /** Runs a query whose answer is one boolean, and waits for it. */
    boolean queryBoolean(String sql, String statementName) {
        String id = submitOne(sql, statementName);
        awaitFinished(id, statementName);
        GetStatementResultResponse result = redshiftData.getStatementResult(request -> request.id(id));
        List<List<Field>> records = result.records();
        if (records.size() != 1 || records.get(0).size() != 1) {
            throw new StatementFailed(statementName + " returned " + records.size() + " rows, not one value");
        }
        Field value = records.get(0).get(0);
        return Boolean.TRUE.equals(value.booleanValue()) || "true".equalsIgnoreCase(value.stringValue());
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
