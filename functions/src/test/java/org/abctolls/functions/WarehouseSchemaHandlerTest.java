package org.abctolls.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

/** The warehouse schema as the CDK provider framework drives it: onEvent, then isComplete until yes. */
class WarehouseSchemaHandlerTest {

    private static final String LOADER_SECRET = "arn:aws:secretsmanager:eu-west-1:1:secret:loader-AbCdEf";
    private static final String ADMIN_SECRET = "arn:aws:secretsmanager:eu-west-1:1:secret:redshift!abc-tolls-admin";
    private static final List<String> DDL = List.of(
            "CREATE TABLE IF NOT EXISTS toll_events (eventid VARCHAR(256))", "CREATE OR REPLACE VIEW v AS SELECT 1");

    private final FakeWarehouse warehouse = new FakeWarehouse();
    private final FakeSecrets secrets =
            new FakeSecrets(LOADER_SECRET, "v1", "{\"username\":\"tolls_loader\",\"password\":\"Secret-Pass1\"}");
    private final WarehouseSchemaHandler handler = new WarehouseSchemaHandler(warehouse, secrets);

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

    @Test
    void createRunsTheDdlAndTheLoaderUsersInOneTransactionAsTheAdmin() {
        Map<String, Object> answer = handler.onEvent(event("Create"), null);

        assertThat(warehouse.submitted).singleElement().satisfies(batch -> {
            assertThat(batch.workgroup()).isEqualTo("abc-tolls");
            assertThat(batch.database()).isEqualTo("tolls");
            assertThat(batch.secretArn()).isEqualTo(ADMIN_SECRET);
            assertThat(batch.name()).isEqualTo(WarehouseSchemaHandler.STATEMENT_NAME);
            assertThat(batch.sqls())
                    .startsWith(DDL.toArray(String[]::new))
                    .endsWith(WarehouseUsers.create(
                                    new WarehouseUsers.Credentials("tolls_loader", "Secret-Pass1"), "toll_events")
                            .toArray(String[]::new));
        });
        assertThat(answer)
                .isEqualTo(Map.of(
                        "PhysicalResourceId", "tolls.toll_events", "Data", Map.of("StatementId", "statement-1")));
        assertThat(warehouse.sqls().toString() + answer).doesNotContain("Secret-Pass1");
    }

    @Test
    void updateSetsTheCurrentUsersPasswordInsteadOfMakingUsers() {
        secrets.values.put("v1", "{\"username\":\"tolls_loader_clone\",\"password\":\"Rotated-2\"}");

        handler.onEvent(event("Update"), null);

        assertThat(warehouse.sqls())
                .containsSequence(WarehouseUsers.update(
                        new WarehouseUsers.Credentials("tolls_loader_clone", "Rotated-2"), "toll_events"))
                .noneMatch(sql -> sql.startsWith("CREATE USER"));
    }

    @Test
    void theDeploymentWaitsUntilTheStatementFinished() {
        warehouse.reporting(StatusString.SUBMITTED, StatusString.PICKED, StatusString.STARTED, StatusString.FINISHED);
        Map<String, Object> event = completing(event("Create"), handler.onEvent(event("Create"), null));

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
        warehouse.failingWith("permission denied for relation toll_events");
        Map<String, Object> event = completing(event("Update"), handler.onEvent(event("Update"), null));

        assertThat(handler.isComplete(event, null)).isEqualTo(Map.of("IsComplete", false));
        assertThatThrownBy(() -> handler.isComplete(event, null))
                .isInstanceOf(WarehouseAdmin.StatementFailed.class)
                .hasMessage("the warehouse schema (statement statement-1) failed: "
                        + "permission denied for relation toll_events");
    }

    @Test
    void anAbortedStatementFailsTheDeploymentToo() {
        warehouse.reporting(StatusString.ABORTED);
        Map<String, Object> event = completing(event("Create"), handler.onEvent(event("Create"), null));

        assertThatThrownBy(() -> handler.isComplete(event, null)).hasMessageContaining("aborted");
    }

    @Test
    void deleteKeepsTheTablesAndIsCompleteAtOnce() {
        Map<String, Object> delete = event("Delete");
        delete.put("PhysicalResourceId", "tolls.toll_events");

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
                .hasMessage("the warehouse schema resource lacks Database, AdminSecretArn, LoaderSecretArn, Table, "
                        + "Sqls (a list of SQL statements)");

        secrets.values.put("v1", "{\"username\":\"tolls_loader\"}");
        assertThatThrownBy(() -> handler.onEvent(event("Create"), null))
                .hasMessage("the secret " + LOADER_SECRET + " has no text 'password'");
        assertThat(warehouse.submitted).isEmpty();
    }
}
