package org.abctolls.functions;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.BatchExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.BatchExecuteStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultRequest;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.StatementStatusString;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.SubStatementData;

/**
 * The Redshift Data API as the warehouse handlers see it: it records what was submitted, by
 * whom (the secret) and where; each statement finishes at once unless the test says otherwise;
 * a query of users answers with the users the test says exist.
 */
final class FakeWarehouse implements RedshiftDataClient {

    /** One submission: a batch, or a single statement (one SQL). */
    record Submitted(String id, String workgroup, String database, String secretArn, String name, List<String> sqls) {}

    final List<Submitted> submitted = new ArrayList<>();
    /** The statuses each statement reports, one per DescribeStatement; the last one stays. */
    private final Map<String, Queue<DescribeStatementResponse>> reports = new HashMap<>();

    private String nextFailure;
    private Set<String> existingUsers = Set.of();
    private boolean privilegeAnswer = true;

    /** The statement reports these statuses in turn, then the last one for good. */
    void report(String id, StatusString... sequence) {
        Queue<DescribeStatementResponse> queue = new ArrayDeque<>();
        for (StatusString status : sequence) {
            queue.add(DescribeStatementResponse.builder().id(id).status(status).build());
        }
        reports.put(id, queue);
    }

    /** The statement fails, with Redshift's message on the statement itself. */
    void fail(String id, String error) {
        reports.put(
                id,
                new ArrayDeque<>(List.of(
                        DescribeStatementResponse.builder()
                                .id(id)
                                .status(StatusString.STARTED)
                                .build(),
                        DescribeStatementResponse.builder()
                                .id(id)
                                .status(StatusString.FAILED)
                                .error(error)
                                .build())));
    }

    /** The batch fails at one of its statements, whose message only that statement carries. */
    void failInBatch(String id, int failing, String error) {
        List<SubStatementData> parts = new ArrayList<>();
        Submitted batch =
                submitted.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
        for (int i = 0; i < batch.sqls().size(); i++) {
            parts.add(SubStatementData.builder()
                    .queryString(batch.sqls().get(i))
                    .status(
                            i < failing
                                    ? StatementStatusString.FINISHED
                                    : i == failing ? StatementStatusString.FAILED : StatementStatusString.ABORTED)
                    .error(i == failing ? error : null)
                    .build());
        }
        reports.put(
                id,
                new ArrayDeque<>(List.of(DescribeStatementResponse.builder()
                        .id(id)
                        .status(StatusString.FAILED)
                        .subStatements(parts)
                        .build())));
    }

    /** The next statement submitted fails with this message. */
    void failNext(String error) {
        nextFailure = error;
    }

    void usersExist(Set<String> users) {
        existingUsers = Set.copyOf(users);
    }

    void privilegesGranted(boolean granted) {
        privilegeAnswer = granted;
    }

    @Override
    public BatchExecuteStatementResponse batchExecuteStatement(BatchExecuteStatementRequest request) {
        String id = record(
                request.workgroupName(),
                request.database(),
                request.secretArn(),
                request.statementName(),
                request.sqls());
        return BatchExecuteStatementResponse.builder().id(id).build();
    }

    @Override
    public ExecuteStatementResponse executeStatement(ExecuteStatementRequest request) {
        String id = record(
                request.workgroupName(),
                request.database(),
                request.secretArn(),
                request.statementName(),
                List.of(request.sql()));
        return ExecuteStatementResponse.builder().id(id).build();
    }

    private String record(String workgroup, String database, String secretArn, String name, List<String> sqls) {
        String id = "statement-" + (submitted.size() + 1);
        submitted.add(new Submitted(id, workgroup, database, secretArn, name, List.copyOf(sqls)));
        report(id, StatusString.FINISHED);
        if (nextFailure != null) {
            fail(id, nextFailure);
            nextFailure = null;
        }
        return id;
    }

    @Override
    public DescribeStatementResponse describeStatement(DescribeStatementRequest request) {
        Queue<DescribeStatementResponse> sequence = reports.get(request.id());
        if (sequence == null) {
            throw new IllegalArgumentException("no statement " + request.id());
        }
        return sequence.size() > 1 ? sequence.remove() : sequence.peek();
    }

    @Override
    public GetStatementResultResponse getStatementResult(GetStatementResultRequest request) {
        String sql = submitted.stream()
                .filter(s -> s.id().equals(request.id()))
                .findFirst()
                .orElseThrow()
                .sqls()
                .get(0);
        List<List<Field>> rows = sql.contains("FROM pg_user")
                ? existingUsers.stream()
                        .sorted()
                        .map(user -> List.of(Field.builder().stringValue(user).build()))
                        .toList()
                : List.of(List.of(Field.builder().booleanValue(privilegeAnswer).build()));
        return GetStatementResultResponse.builder().records(rows).build();
    }

    /** Every SQL submitted, in order. */
    List<String> sqls() {
        return submitted.stream().flatMap(s -> s.sqls().stream()).toList();
    }

    Submitted last() {
        return submitted.get(submitted.size() - 1);
    }

    @Override
    public String serviceName() {
        return "redshift-data";
    }

    @Override
    public void close() {}
}
