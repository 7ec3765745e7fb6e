package org.abctolls.infra;

import java.util.Objects;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.kms.IKey;

/**
 * The inputs of {@link RedshiftWarehouse}.
 *
 * @param key encrypts the namespace, the admin's and the loader's secrets
 * @param firehoseCidr Firehose's address range in the region (a deploy-time parameter's
 *     value), the only one the endpoint admits
 * @param loader who loads the warehouse (Firehose's role): it may read the loader user's
 *     credentials
 */
public record RedshiftWarehouseProps(IKey key, String firehoseCidr, IGrantable loader) {
    public RedshiftWarehouseProps {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(firehoseCidr, "firehoseCidr (the Redshift endpoint admits only Firehose)");
        Objects.requireNonNull(loader, "loader");
    }
}
