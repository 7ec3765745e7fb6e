package org.abctolls.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

/** The warehouse schema as the CDK provider framework drives it: onEvent, then isComplete until yes. */
class WarehouseSchemaHandlerTest {

    private static final String LOADER_SECRET = "arn:aws:secretsmanager:eu-west-1:1:secret:loader-AbCdEf";
    private static final String ADMIN_SECRET = "arn:aws:secretsmanager:eu-west-1:1:secret:redshift!abc-tolls-admin";
    private static final List<String> DDL = List.of(
            "CREATE TABLE IF NOT EXISTS toll_events (eventid VARCHAR(256))", "CREATE OR REPLACE VIEW v AS SELECT 1");
    private static final WarehouseUsers.Credentials LOADER =
            new WarehouseUsers.Credentials("tolls_loader", "Secret-Pass1");

    private final FakeWarehouse warehouse = new FakeWarehouse();
    private final FakeSecrets secrets =
            new FakeSecrets(LOADER_SECRET, "v1", "{\"username\":\"tolls_loader\",\"password\":\"Secret-Pass1\"}");
    private final WarehouseSchemaHandler handler = new WarehouseSchemaHandler(warehouse, secrets, Duration.ZERO);

    private static Map<String, Object> event(String requestType) {
        Map<String, Object> event = new HashMap<>();
        event.put("RequestType", requestType);
        event.put(
                "ResourceProperties",
                Map.of(
                        "ServiceToken", "arn:aws:lambda:eu-west-1:1:function:framework-onEvent",
                        "WorkgroupName", "abc-tolls",
                        "Database", "tolls",
                        "AdminSecretArn", ADMIN_SECRET,
                        "LoaderSecretArn", LOADER_SECRET,
                        "Schema", "public",
                        "Table", "toll_events",
                        "Sqls", DDL));
        return event;
    }

    /** What the framework hands isComplete: the event plus onEvent's answer. */
    private static Map<String, Object> completing(Map<String, Object> event, Map<String, Object> answer) {
        Map<String, Object> next = new HashMap<>(event);
        next.putAll(answer);
        return next;
    }

    private static String statementIdOf(Map<String, Object> answer) {
        return String.valueOf(((Map<?, ?>) answer.get("Data")).get(WarehouseSchemaHandler.STATEMENT_ID));
    }

    @Test
    void createRunsTheDdlAndTheLoaderUsersInOneTransactionAsTheAdmin() {
        Map<String, Object> answer = handler.onEvent(event("Create"), null);

        assertThat(warehouse.submitted).hasSize(2).allSatisfy(statement -> {
            assertThat(statement.workgroup()).isEqualTo("abc-tolls");
            assertThat(statement.database()).isEqualTo("tolls");
            assertThat(statement.secretArn()).isEqualTo(ADMIN_SECRET);
        });
        assertThat(warehouse.submitted.get(0).sqls()).containsExactly(WarehouseUsers.existingUsers("tolls_loader"));
        FakeWarehouse.Submitted batch = warehouse.last();
        assertThat(batch.name()).isEqualTo(WarehouseSchemaHandler.STATEMENT_NAME);
        assertThat(batch.sqls())
                .startsWith(DDL.toArray(String[]::new))
                .endsWith(WarehouseUsers.statements(LOADER, Set.of(), "public", "toll_events")
                        .toArray(String[]::new));
        assertThat(answer)
                .isEqualTo(Map.of(
                        "PhysicalResourceId", "tolls.public.toll_events", "Data", Map.of("StatementId", batch.id())));
        assertThat(warehouse.sqls().toString() + answer).doesNotContain("Secret-Pass1");
    }

    @Test
    void aCreateAfterARollbackThatKeptTheUsersAltersThemInsteadOfFailing() {
        warehouse.usersExist(Set.of("tolls_loader", "tolls_loader_clone"));

        handler.onEvent(event("Create"), null);

        assertThat(warehouse.last().sqls())
                .endsWith(WarehouseUsers.statements(
                                LOADER, Set.of("tolls_loader", "tolls_loader_clone"), "public", "toll_events")
                        .toArray(String[]::new))
                .noneMatch(sql -> sql.startsWith("CREATE USER"));
    }

    @Test
    void anUpdateAfterRotationsSetsTheCurrentUsersPassword() {
        secrets.values.put("v1", "{\"username\":\"tolls_loader_clone\",\"password\":\"Rotated-2\"}");
        warehouse.usersExist(Set.of("tolls_loader", "tolls_loader_clone"));

        handler.onEvent(event("Update"), null);

        assertThat(warehouse.last().sqls())
                .contains(WarehouseUsers.setPassword(new WarehouseUsers.Credentials("tolls_loader_clone", "Rotated-2")))
                .noneMatch(sql -> sql.startsWith("CREATE USER"));
    }

    @Test
    void theDeploymentWaitsUntilTheStatementFinished() {
        Map<String, Object> answer = handler.onEvent(event("Create"), null);
        warehouse.report(
                statementIdOf(answer),
                StatusString.SUBMITTED,
                StatusString.PICKED,
                StatusString.STARTED,
                StatusString.FINISHED);
        Map<String, Object> event = completing(event("Create"), answer);

        assertThat(List.of(
                        handler.isComplete(event, null),
                        handler.isComplete(event, null),
                        handler.isComplete(event, null),
                        handler.isComplete(event, null)))
                .containsExactly(
                        Map.of("IsComplete", false),
                        Map.of("IsComplete", false),
                        Map.of("IsComplete", false),
                        Map.of("IsComplete", true));
    }

    @Test
    void aFailedStatementFailsTheDeploymentWithRedshiftsMessage() {
        Map<String, Object> answer = handler.onEvent(event("Update"), null);
        warehouse.fail(statementIdOf(answer), "permission denied for relation toll_events");
        Map<String, Object> event = completing(event("Update"), answer);

        assertThat(handler.isComplete(event, null)).isEqualTo(Map.of("IsComplete", false));
        assertThatThrownBy(() -> handler.isComplete(event, null))
                .isInstanceOf(WarehouseAdmin.StatementFailed.class)
                .hasMessage("the warehouse schema (statement " + statementIdOf(answer) + ") failed: "
                        + "permission denied for relation toll_events");
    }

    @Test
    void aBatchThatFailedPartWayNamesTheStatementThatFailedButNeverItsSql() {
        Map<String, Object> answer = handler.onEvent(event("Create"), null);
        warehouse.failInBatch(statementIdOf(answer), 2, "user \"tolls_loader\" already exists");

        assertThatThrownBy(() -> handler.isComplete(completing(event("Create"), answer), null))
                .hasMessageEndingWith("failed: statement 3 of 6: user \"tolls_loader\" already exists")
                .hasMessageNotContaining("md5");
    }

    @Test
    void anAbortedStatementOrOneInAnUnknownStateFailsTheDeploymentInsteadOfWaiting() {
        Map<String, Object> answer = handler.onEvent(event("Create"), null);
        warehouse.report(statementIdOf(answer), StatusString.ABORTED);
        assertThatThrownBy(() -> handler.isComplete(completing(event("Create"), answer), null))
                .hasMessageContaining("aborted");

        warehouse.report(statementIdOf(answer), StatusString.UNKNOWN_TO_SDK_VERSION);
        assertThatThrownBy(() -> handler.isComplete(completing(event("Create"), answer), null))
                .hasMessageContaining("status is");
    }

    @Test
    void deleteKeepsTheTablesAndIsCompleteAtOnceWhateverTheOldResourcesProperties() {
        Map<String, Object> delete = new HashMap<>(Map.of(
                "RequestType", "Delete",
                "PhysicalResourceId", "tolls.toll_events",
                "ResourceProperties", Map.of("WorkgroupName", "abc-tolls")));

        Map<String, Object> answer = handler.onEvent(delete, null);

        assertThat(answer).isEqualTo(Map.of("PhysicalResourceId", "tolls.toll_events"));
        assertThat(handler.isComplete(completing(delete, answer), null)).isEqualTo(Map.of("IsComplete", true));
        assertThat(warehouse.submitted).isEmpty();
    }

    @Test
    void aResourceWithoutItsPropertiesOrAnUnreadableSecretIsAClearError() {
        Map<String, Object> incomplete = new HashMap<>(Map.of(
                "RequestType", "Create", "ResourceProperties", Map.of("WorkgroupName", "abc-tolls", "Sqls", "DROP")));
        assertThatThrownBy(() -> handler.onEvent(incomplete, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the warehouse schema resource lacks Database, AdminSecretArn, LoaderSecretArn, Schema, "
                        + "Table, Sqls (a list of SQL statements)");

        secrets.values.put("v1", "{\"username\":\"tolls_loader\"}");
        assertThatThrownBy(() -> handler.onEvent(event("Create"), null))
                .hasMessage("the secret " + LOADER_SECRET + " has no text 'password'");
        assertThat(warehouse.submitted).isEmpty();
    }
}
