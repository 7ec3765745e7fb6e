package org.abctolls.functions;

import com.amazonaws.services.lambda.runtime.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The warehouse's deploy-time schema, as a custom resource of the CDK's provider framework:
 * {@link #onEvent} submits the table's and the view's DDL (the files of {@code infra/sql/})
 * together with the loader users, in one transaction through the Redshift Data API;
 * {@link #isComplete}, which the framework calls until it answers yes, reports how the
 * statement ended. So a deployment finishes only when the table exists, and fails with
 * Redshift's own message when the DDL does, instead of submitting it and hoping. (If Redshift
 * takes longer than the provider's total timeout, the framework fails the deployment with its
 * own "timed out".)
 *
 * <p>The resource's properties say what to run and where ({@link Properties}); the loader's
 * password is read from its secret here, so that it never appears in the template, the
 * framework's logs or the statement text (see {@link WarehouseUsers}).
 */
public final class WarehouseSchemaHandler {

    static final String STATEMENT_NAME = "abc-tolls-warehouse-schema";
    static final String STATEMENT_ID = "StatementId";

    private static final Logger LOG = LoggerFactory.getLogger(WarehouseSchemaHandler.class);

    /**
     * The custom resource's properties.
     *
     * @param sqls the table's and the view's DDL, in the order to run
     * @param adminSecretArn the namespace's admin credentials, which Redshift manages
     * @param loaderSecretArn the loader's credentials, which Firehose reads
     * @param schema the table's schema
     * @param table the one table the loader users may INSERT into
     */
    record Properties(
            String workgroupName,
            String database,
            String adminSecretArn,
            String loaderSecretArn,
            String schema,
            String table,
            List<String> sqls) {

        static Properties of(Map<String, Object> event) {
            Map<?, ?> properties = event.get("ResourceProperties") instanceof Map<?, ?> map ? map : Map.of();
            List<String> missing = new ArrayList<>();
            Properties parsed = new Properties(
                    text(properties, "WorkgroupName", missing),
                    text(properties, "Database", missing),
                    text(properties, "AdminSecretArn", missing),
                    text(properties, "LoaderSecretArn", missing),
                    text(properties, "Schema", missing),
                    text(properties, "Table", missing),
                    texts(properties, "Sqls", missing));
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("the warehouse schema resource lacks " + String.join(", ", missing));
            }
            return parsed;
        }

        private static String text(Map<?, ?> properties, String key, List<String> missing) {
            Object value = properties.get(key);
            if (!(value instanceof String text) || text.isBlank()) {
                missing.add(key);
                return "";
            }
            return text;
        }

        private static List<String> texts(Map<?, ?> properties, String key, List<String> missing) {
            if (!(properties.get(key) instanceof List<?> values)
                    || values.isEmpty()
                    || !values.stream().allMatch(String.class::isInstance)) {
                missing.add(key + " (a list of SQL statements)");
                return List.of();
            }
            return values.stream().map(String.class::cast).toList();
        }
    }

    private final RedshiftDataClient redshiftData;
    private final SecretsManagerClient secrets;
    private final Duration pollInterval;

    /** In Lambda: SDK clients built once per container. */
    public WarehouseSchemaHandler() {
        this(RedshiftDataClient.create(), SecretsManagerClient.create(), Duration.ofMillis(250));
    }

    /**
     * The warehouse it works on comes with each event (the resource's properties), so the Data
     * API's client is given here, not a {@link WarehouseAdmin}.
     *
     * @param pollInterval how often to ask whether the query of existing users finished
     */
    public WarehouseSchemaHandler(
            RedshiftDataClient redshiftData, SecretsManagerClient secrets, Duration pollInterval) {
        this.redshiftData = redshiftData;
        this.secrets = secrets;
        this.pollInterval = pollInterval;
    }

    /**
     * Create and Update submit the schema, whatever of it exists already; Delete keeps the data
     * (the namespace goes with the stack), whatever the old resource's properties were.
     */
    public Map<String, Object> onEvent(Map<String, Object> event, Context context) {
        return InvocationLog.around(context, () -> process(event));
    }

    private Map<String, Object> process(Map<String, Object> event) {
        String requestType = String.valueOf(event.get("RequestType"));
        if ("Delete".equals(requestType)) {
            return Map.of("PhysicalResourceId", String.valueOf(event.get("PhysicalResourceId")));
        }
        if (!"Create".equals(requestType) && !"Update".equals(requestType)) {
            throw new IllegalArgumentException("unknown request type " + requestType);
        }
        Properties properties = Properties.of(event);
        WarehouseUsers.Credentials loader = LoaderSecret.parse(
                secrets.getSecretValue(request -> request.secretId(properties.loaderSecretArn()))
                        .secretString(),
                properties.loaderSecretArn());
        WarehouseAdmin admin = admin(properties);
        // The users a rolled-back deployment, or a rotation, left behind are altered, not made again.
        Set<String> existing =
                admin.queryStrings(WarehouseUsers.existingUsers(loader.username()), STATEMENT_NAME + "-users");
        List<String> statements = new ArrayList<>(properties.sqls());
        statements.addAll(WarehouseUsers.statements(loader, existing, properties.schema(), properties.table()));
        String statementId = admin.submit(statements, STATEMENT_NAME);
        LOG.info(
                "{} of the warehouse schema submitted as statement {}: {} DDL statements and the loader users of {}"
                        + " ({} of them there already)",
                requestType,
                statementId,
                properties.sqls().size(),
                properties.table(),
                existing.size());
        return Map.of(
                "PhysicalResourceId",
                properties.database() + "." + properties.schema() + "." + properties.table(),
                "Data",
                Map.of(STATEMENT_ID, statementId));
    }

    /** Yes once the statement finished; fails the deployment with Redshift's message if it failed. */
    public Map<String, Object> isComplete(Map<String, Object> event, Context context) {
        return InvocationLog.around(context, () -> completion(event));
    }

    private Map<String, Object> completion(Map<String, Object> event) {
        Object statementId = event.get("Data") instanceof Map<?, ?> data ? data.get(STATEMENT_ID) : null;
        if (statementId == null) {
            return Map.of("IsComplete", true);
        }
        WarehouseAdmin.Status status = admin(Properties.of(event)).status(statementId.toString());
        return switch (status.state()) {
            case FINISHED -> Map.of("IsComplete", true);
            case RUNNING -> Map.of("IsComplete", false);
            case FAILED -> throw new WarehouseAdmin.StatementFailed(
                    "the warehouse schema (statement " + statementId + ") failed: " + status.error());
        };
    }

    private WarehouseAdmin admin(Properties properties) {
        return new WarehouseAdmin(
                redshiftData,
                new WarehouseAdmin.Target(
                        properties.workgroupName(), properties.database(), properties.adminSecretArn()),
                pollInterval);
    }
}
