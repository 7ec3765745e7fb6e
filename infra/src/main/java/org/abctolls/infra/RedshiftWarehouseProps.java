package org.abctolls.infra;

import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Code;

/**
 * The inputs of {@link RedshiftWarehouse}.
 *
 * @param key encrypts the namespace, the admin's and the loader's secrets
 * @param firehoseCidr Firehose's address range in the region (a deploy-time parameter's
 *     value), the only one the endpoint admits
 * @param loader who loads the warehouse (Firehose's role): it may read the loader user's
 *     credentials
 * @param functionsCode the jar of the schema's and the loader rotation's handlers
 * @param ddl the statements that make the table, the analysts' view and the loader users, run in
 *     one transaction
 */
public record RedshiftWarehouseProps(
        IKey key, String firehoseCidr, IGrantable loader, Code functionsCode, List<String> ddl) {
    public RedshiftWarehouseProps {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(firehoseCidr, "firehoseCidr (the Redshift endpoint admits only Firehose)");
        Objects.requireNonNull(loader, "loader");
        Objects.requireNonNull(functionsCode, "functionsCode");
        ddl = List.copyOf(Objects.requireNonNull(ddl, "ddl"));
    }
}
