package org.abctolls.functions;

import java.util.Map;

/**
 * The loader-password rotation's configuration, from its environment.
 *
 * @param workgroupName {@code WAREHOUSE_WORKGROUP}: the Redshift Serverless workgroup
 * @param database {@code WAREHOUSE_DATABASE}
 * @param adminSecretArn {@code WAREHOUSE_ADMIN_SECRET_ARN}: the admin credentials Redshift manages
 * @param schema {@code WAREHOUSE_SCHEMA}: the table's schema
 * @param table {@code WAREHOUSE_TABLE}: the table the loader users may INSERT into
 */
public record WarehouseConfig(
        String workgroupName, String database, String adminSecretArn, String schema, String table) {

    public static WarehouseConfig fromEnvironment(Map<String, String> environment) {
        EnvironmentVariables variables = new EnvironmentVariables(environment);
        WarehouseConfig config = new WarehouseConfig(
                variables.required("WAREHOUSE_WORKGROUP"),
                variables.required("WAREHOUSE_DATABASE"),
                variables.required("WAREHOUSE_ADMIN_SECRET_ARN"),
                variables.required("WAREHOUSE_SCHEMA"),
                variables.required("WAREHOUSE_TABLE"));
        variables.failIfMissing();
        return config;
    }
}
