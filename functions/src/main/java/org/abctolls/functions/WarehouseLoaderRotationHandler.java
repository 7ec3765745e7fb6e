package org.abctolls.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Rotates the warehouse loader's password, Secrets Manager's four steps by the
 * alternating-users strategy ({@link WarehouseUsers}): Firehose keeps loading as the current
 * user while the other one gets a new password, and moves to it when the new version becomes
 * current.
 *
 * <ol>
 *   <li>{@code createSecret}: a new version, pending, naming the other user with a new random
 *       password (nothing is made again when a retried step finds it);
 *   <li>{@code setSecret}: that user's password set in the warehouse, as the admin, through the
 *       Data API;
 *   <li>{@code testSecret}: the warehouse confirms that user may reach the schema and INSERT
 *       into the table (its privileges, not its password: the function cannot log in as it,
 *       since only Firehose's address range reaches the endpoint);
 *   <li>{@code finishSecret}: the pending version becomes current.
 * </ol>
 */
public final class WarehouseLoaderRotationHandler implements RequestHandler<SecretsManagerRotationEvent, Void> {

    static final String CURRENT = "AWSCURRENT";
    static final String PENDING = "AWSPENDING";
    /** The characters a plain Redshift password may not hold, and a space. */
    static final String EXCLUDED_CHARACTERS = "\"'\\/@ ";

    static final int PASSWORD_LENGTH = 32;

    private static final Logger LOG = LoggerFactory.getLogger(WarehouseLoaderRotationHandler.class);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    private final SecretsManagerClient secrets;
    private final WarehouseAdmin admin;
    private final String schema;
    private final String table;

    /** In Lambda: configuration from the environment; SDK clients built once per container. */
    public WarehouseLoaderRotationHandler() {
        this(
                WarehouseConfig.fromEnvironment(System.getenv()),
                SecretsManagerClient.create(),
                RedshiftDataClient.create(),
                POLL_INTERVAL);
    }

    public WarehouseLoaderRotationHandler(
            WarehouseConfig config,
            SecretsManagerClient secrets,
            RedshiftDataClient redshiftData,
            Duration pollInterval) {
        this(
                secrets,
                new WarehouseAdmin(
                        redshiftData,
                        new WarehouseAdmin.Target(config.workgroupName(), config.database(), config.adminSecretArn()),
                        pollInterval),
                config.schema(),
                config.table());
    }

    /** @param admin SQL in the warehouse as its admin; the loader users may INSERT into {@code schema.table} */
    WarehouseLoaderRotationHandler(SecretsManagerClient secrets, WarehouseAdmin admin, String schema, String table) {
        this.secrets = secrets;
        this.admin = admin;
        this.schema = schema;
        this.table = table;
    }

    @Override
    public Void handleRequest(SecretsManagerRotationEvent event, Context context) {
        return InvocationLog.around(context, () -> process(event));
    }

    private Void process(SecretsManagerRotationEvent event) {
        String secretId = event.getSecretId();
        String token = event.getClientRequestToken();
        DescribeSecretResponse secret = secrets.describeSecret(request -> request.secretId(secretId));
        if (!Boolean.TRUE.equals(secret.rotationEnabled())) {
            throw new IllegalStateException("rotation is not enabled for " + secretId);
        }
        List<String> stages = secret.versionIdsToStages().get(token);
        if (stages == null) {
            throw new IllegalStateException("version " + token + " of " + secretId + " has no stage to rotate");
        }
        if (stages.contains(CURRENT)) {
            LOG.info("version {} of {} is already current", token, secretId);
            return null;
        }
        if (!stages.contains(PENDING)) {
            throw new IllegalStateException("version " + token + " of " + secretId + " is not pending");
        }
        switch (event.getStep()) {
            case "createSecret" -> createSecret(secretId, token);
            case "setSecret" -> setSecret(secretId, token);
            case "testSecret" -> testSecret(secretId, token);
            case "finishSecret" -> finishSecret(secretId, token, secret.versionIdsToStages());
            default -> throw new IllegalArgumentException("unknown rotation step " + event.getStep());
        }
        LOG.info("{} done for version {} of {}", event.getStep(), token, secretId);
        return null;
    }

    private void createSecret(String secretId, String token) {
        String current = secrets.getSecretValue(
                        request -> request.secretId(secretId).versionStage(CURRENT))
                .secretString();
        WarehouseUsers.Credentials currentUser = LoaderSecret.parse(current, secretId);
        try {
            secrets.getSecretValue(
                    request -> request.secretId(secretId).versionId(token).versionStage(PENDING));
            return;
        } catch (ResourceNotFoundException notYetMade) {
            // A retried step finds its version and keeps it; only the first attempt makes one.
        }
        String password = secrets.getRandomPassword(request -> request.passwordLength((long) PASSWORD_LENGTH)
                        .excludeCharacters(EXCLUDED_CHARACTERS)
                        .requireEachIncludedType(true))
                .randomPassword();
        WarehouseUsers.Credentials next =
                new WarehouseUsers.Credentials(WarehouseUsers.alternate(currentUser.username()), password);
        secrets.putSecretValue(request -> request.secretId(secretId)
                .clientRequestToken(token)
                .secretString(LoaderSecret.with(current, next, secretId))
                .versionStages(PENDING));
    }

    private void setSecret(String secretId, String token) {
        admin.run(WarehouseUsers.setPassword(pending(secretId, token)), "abc-tolls-loader-rotation-set");
    }

    private void testSecret(String secretId, String token) {
        String user = pending(secretId, token).username();
        if (!admin.queryBoolean(WarehouseUsers.canLoad(user, schema, table), "abc-tolls-loader-rotation-test")) {
            throw new IllegalStateException("the warehouse user " + user + " may not INSERT into " + schema + "."
                    + table + ": the rotation stops before Firehose would use it");
        }
    }

    private void finishSecret(String secretId, String token, Map<String, List<String>> versions) {
        String current = versions.entrySet().stream()
                .filter(version -> version.getValue().contains(CURRENT))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(null);
        secrets.updateSecretVersionStage(request -> request.secretId(secretId)
                .versionStage(CURRENT)
                .moveToVersionId(token)
                .removeFromVersionId(current));
    }

    private WarehouseUsers.Credentials pending(String secretId, String token) {
        return LoaderSecret.parse(
                secrets.getSecretValue(request ->
                                request.secretId(secretId).versionId(token).versionStage(PENDING))
                        .secretString(),
                secretId);
    }
}
