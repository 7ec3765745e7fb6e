package org.abctolls.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loader's password rotation, step by step, as Secrets Manager drives it. */
class WarehouseLoaderRotationHandlerTest {

    private static final String LOADER_SECRET = "arn:aws:secretsmanager:eu-west-1:1:secret:loader-AbCdEf";
    private static final String ADMIN_SECRET = "arn:aws:secretsmanager:eu-west-1:1:secret:redshift!abc-tolls-admin";
    private static final List<String> STEPS = List.of("createSecret", "setSecret", "testSecret", "finishSecret");

    private final FakeWarehouse warehouse = new FakeWarehouse();
    private final FakeSecrets secrets = new FakeSecrets(
            LOADER_SECRET,
            "v1",
            "{\"username\":\"tolls_loader\",\"password\":\"Secret-Pass1\",\"engine\":\"redshift\"}");
    private final WarehouseLoaderRotationHandler handler = new WarehouseLoaderRotationHandler(
            new WarehouseConfig("abc-tolls", "tolls", ADMIN_SECRET, "public", "toll_events"),
            secrets,
            warehouse,
            Duration.ZERO);

    private void step(String step, String token) {
        handler.handleRequest(
                SecretsManagerRotationEvent.builder()
                        .withSecretId(LOADER_SECRET)
                        .withClientRequestToken(token)
                        .withStep(step)
                        .build(),
                null);
    }

    private void rotate(String token) {
        secrets.startRotation(token);
        STEPS.forEach(step -> step(step, token));
    }

    @Test
    void aRotationMovesFirehoseToTheOtherUserWithANewPasswordSetAndCheckedFirst() {
        rotate("v2");

        WarehouseUsers.Credentials rotated = LoaderSecret.parse(secrets.valueAt("AWSCURRENT"), LOADER_SECRET);
        assertThat(rotated)
                .isEqualTo(new WarehouseUsers.Credentials("tolls_loader_clone", secrets.passwordsHandedOut.get(0)));
        assertThat(secrets.valueAt("AWSCURRENT")).contains("\"engine\":\"redshift\"");
        assertThat(secrets.stages)
                .containsEntry("v1", List.of("AWSPREVIOUS"))
                .containsEntry("v2", List.of("AWSCURRENT"));
        assertThat(warehouse.submitted)
                .extracting(FakeWarehouse.Submitted::sqls)
                .containsExactly(
                        List.of(WarehouseUsers.setPassword(rotated)),
                        List.of(WarehouseUsers.canLoad("tolls_loader_clone", "public", "toll_events")));
        assertThat(warehouse.submitted).allSatisfy(statement -> {
            assertThat(statement.secretArn()).isEqualTo(ADMIN_SECRET);
            assertThat(statement.workgroup()).isEqualTo("abc-tolls");
        });
        assertThat(warehouse.sqls().toString()).doesNotContain(rotated.password());
        // The same policy as the first password's (infra's LoaderCredentials).
        assertThat(secrets.passwordRequests).singleElement().satisfies(request -> {
            assertThat(request.passwordLength()).isEqualTo(32L);
            assertThat(request.excludeCharacters()).isEqualTo("\"'\\/@ ");
            assertThat(request.requireEachIncludedType()).isTrue();
        });
    }

    /**
     * The steps as Secrets Manager sends them (PascalCase keys), read by the events library's
     * serialization as Lambda's Java runtime reads them.
     */
    @Test
    void aRotationFromSecretsManagersOwnEventsMovesFirehoseToTheOtherUser() {
        secrets.startRotation("v2");

        STEPS.forEach(step ->
                handler.handleRequest(EventLoader.loadSecretsManagerRotationEvent("rotation-" + step + ".json"), null));

        assertThat(LoaderSecret.parse(secrets.valueAt("AWSCURRENT"), LOADER_SECRET)
                        .username())
                .isEqualTo("tolls_loader_clone");
        assertThat(secrets.stages).containsEntry("v2", List.of("AWSCURRENT"));
    }

    @Test
    void theNextRotationGoesBackToTheFirstUser() {
        rotate("v2");
        rotate("v3");

        assertThat(LoaderSecret.parse(secrets.valueAt("AWSCURRENT"), LOADER_SECRET))
                .isEqualTo(new WarehouseUsers.Credentials("tolls_loader", secrets.passwordsHandedOut.get(1)));
    }

    @Test
    void aRetriedCreateStepKeepsThePendingVersionItMade() {
        secrets.startRotation("v2");
        step("createSecret", "v2");
        String pending = secrets.values.get("v2");

        step("createSecret", "v2");

        assertThat(secrets.values.get("v2")).isEqualTo(pending);
        assertThat(secrets.passwordsHandedOut).hasSize(1);
    }

    @Test
    void aUserThatMayNotLoadStopsTheRotationBeforeFirehoseWouldUseIt() {
        warehouse.privilegesGranted(false);
        secrets.startRotation("v2");
        step("createSecret", "v2");
        step("setSecret", "v2");

        assertThatThrownBy(() -> step("testSecret", "v2"))
                .hasMessage("the warehouse user tolls_loader_clone may not INSERT into public.toll_events: "
                        + "the rotation stops before Firehose would use it");
        assertThat(LoaderSecret.parse(secrets.valueAt("AWSCURRENT"), LOADER_SECRET)
                        .username())
                .isEqualTo("tolls_loader");
    }

    @Test
    void aPasswordTheWarehouseRefusedStopsTheRotationWithItsMessage() {
        secrets.startRotation("v2");
        step("createSecret", "v2");
        warehouse.failNext("user \"tolls_loader_clone\" does not exist");

        assertThatThrownBy(() -> step("setSecret", "v2"))
                .isInstanceOf(WarehouseAdmin.StatementFailed.class)
                .hasMessageEndingWith("failed: user \"tolls_loader_clone\" does not exist");
    }

    @Test
    void aVersionAlreadyCurrentIsLeftAloneAndOneNotPendingOrADisabledRotationIsRefused() {
        step("finishSecret", "v1");
        assertThat(secrets.stages).containsEntry("v1", List.of("AWSCURRENT"));

        assertThatThrownBy(() -> step("createSecret", "unknown")).hasMessageContaining("has no stage to rotate");

        secrets.stages.put("v9", new java.util.ArrayList<>(List.of("AWSPREVIOUS")));
        assertThatThrownBy(() -> step("setSecret", "v9")).hasMessageContaining("is not pending");

        secrets.rotationEnabled = false;
        secrets.startRotation("v2");
        assertThatThrownBy(() -> step("createSecret", "v2")).hasMessageContaining("rotation is not enabled");
        assertThat(warehouse.submitted).isEmpty();
    }
}
