package org.abctolls.functions;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
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
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

/**
 * The Redshift Data API as the warehouse handlers see it: it records what was submitted, by
 * whom (the secret) and where, and each statement ends as the test says.
 */
final class FakeWarehouse implements RedshiftDataClient {

    /** One submission: a batch, or a single statement (one SQL). */
    record Submitted(String id, String workgroup, String database, String secretArn, String name, List<String> sqls) {}

    final List<Submitted> submitted = new ArrayList<>();
    /** The statuses each statement reports, one per DescribeStatement; the last one stays. */
    private final Map<String, Queue<StatusString>> statuses = new HashMap<>();

    private final Map<String, String> errors = new HashMap<>();
    private final Queue<StatusString> nextStatuses = new ArrayDeque<>(List.of(StatusString.FINISHED));
    private String nextError;
    private Boolean queryAnswer = true;

    /** The statements submitted from now on report these statuses in turn. */
    FakeWarehouse reporting(StatusString... sequence) {
        nextStatuses.clear();
        nextStatuses.addAll(List.of(sequence));
        return this;
    }

    FakeWarehouse failingWith(String error) {
        nextError = error;
        return reporting(StatusString.STARTED, StatusString.FAILED);
    }

    FakeWarehouse answering(boolean answer) {
        queryAnswer = answer;
        return this;
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
        statuses.put(id, new ArrayDeque<>(nextStatuses));
        if (nextError != null) {
            errors.put(id, nextError);
        }
        return id;
    }

    @Override
    public DescribeStatementResponse describeStatement(DescribeStatementRequest request) {
        Queue<StatusString> sequence = statuses.get(request.id());
        if (sequence == null) {
            throw new IllegalArgumentException("no statement " + request.id());
        }
        StatusString status = sequence.size() > 1 ? sequence.remove() : sequence.peek();
        return DescribeStatementResponse.builder()
                .id(request.id())
                .status(status)
                .error(status == StatusString.FAILED ? errors.get(request.id()) : null)
                .build();
    }

    @Override
    public GetStatementResultResponse getStatementResult(GetStatementResultRequest request) {
        return GetStatementResultResponse.builder()
                .records(List.of(
                        List.of(Field.builder().booleanValue(queryAnswer).build())))
                .build();
    }

    /** Every SQL submitted, in order. */
    List<String> sqls() {
        return submitted.stream().flatMap(s -> s.sqls().stream()).toList();
    }

    @Override
    public String serviceName() {
        return "redshift-data";
    }

    @Override
    public void close() {}
}
