package org.abctolls.infra;

import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.s3.IBucket;

/**
 * The inputs of {@link StreamToWarehouse}.
 *
 * @param archivePrefix where in the archive bucket every record is kept ({@code raw/} for the
 *     toll events)
 * @param firehoseCidr Firehose's address range in the region (a deploy-time parameter's
 *     value), the only one the Redshift endpoint admits; for the Redshift warehouse only
 * @param bufferInterval how long Firehose buffers before it writes an object (default 5
 *     minutes, Firehose's)
 * @param bufferMib how much Firehose buffers before it writes an object (default 5 MiB,
 *     Firehose's)
 * @param copyRetry how long Firehose retries a failed COPY (default an hour, Firehose's)
 * @param functionsCode the jar of the transformation's, the schema's and the loader rotation's
 *     handlers; for the Redshift warehouse only
 * @param warehouseDdl the statements that make the warehouse's table, view and loader users; for
 *     the Redshift warehouse only
 * @param futureTolerance how far ahead of its arrival the transformation accepts a toll event's
 *     time, as an ISO-8601 duration: the analytics job's; for the Redshift warehouse only
 */
public record StreamToWarehouseProps(
        IStream source,
        IBucket archive,
        IKey key,
        PipelineSettings.Warehouse warehouse,
        String archivePrefix,
        String firehoseCidr,
        Duration bufferInterval,
        int bufferMib,
        Duration copyRetry,
        Code functionsCode,
        List<String> warehouseDdl,
        String futureTolerance) {
    public StreamToWarehouseProps {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(warehouse, "warehouse");
        Objects.requireNonNull(archivePrefix, "archivePrefix");
        Objects.requireNonNull(bufferInterval, "bufferInterval");
        Objects.requireNonNull(copyRetry, "copyRetry");
        if (warehouse == PipelineSettings.Warehouse.REDSHIFT) {
            Objects.requireNonNull(firehoseCidr, "firehoseCidr (the Redshift endpoint admits only Firehose)");
            Objects.requireNonNull(
                    functionsCode, "functionsCode (the warehouse's transformation, schema and rotation)");
            warehouseDdl = List.copyOf(Objects.requireNonNull(warehouseDdl, "warehouseDdl"));
            Objects.requireNonNull(futureTolerance, "futureTolerance (the job's, for the transformation)");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link StreamToWarehouseProps}. */
    public static final class Builder {
        private IStream source;
        private IBucket archive;
        private IKey key;
        private PipelineSettings.Warehouse warehouse = PipelineSettings.Warehouse.REDSHIFT;
        private String archivePrefix = "raw/";
        private String firehoseCidr;
        private Duration bufferInterval = Duration.minutes(5);
        private int bufferMib = 5;
        private Duration copyRetry = Duration.hours(1);
        private Code functionsCode;
        private List<String> warehouseDdl;
        private String futureTolerance;

        public Builder source(IStream value) {
            source = value;
            return this;
        }

        public Builder archive(IBucket value) {
            archive = value;
            return this;
        }

        public Builder key(IKey value) {
            key = value;
            return this;
        }

        public Builder warehouse(PipelineSettings.Warehouse value) {
            warehouse = value;
            return this;
        }

        public Builder archivePrefix(String value) {
            archivePrefix = value;
            return this;
        }

        public Builder firehoseCidr(String value) {
            firehoseCidr = value;
            return this;
        }

        public Builder bufferInterval(Duration value) {
            bufferInterval = value;
            return this;
        }

        public Builder bufferMib(int value) {
            bufferMib = value;
            return this;
        }

        public Builder copyRetry(Duration value) {
            copyRetry = value;
            return this;
        }

        public Builder functionsCode(Code value) {
            functionsCode = value;
            return this;
        }

        public Builder warehouseDdl(List<String> value) {
            warehouseDdl = value;
            return this;
        }

        public Builder futureTolerance(String value) {
            futureTolerance = value;
            return this;
        }

        public StreamToWarehouseProps build() {
            return new StreamToWarehouseProps(
                    source,
                    archive,
                    key,
                    warehouse,
                    archivePrefix,
                    firehoseCidr,
                    bufferInterval,
                    bufferMib,
                    copyRetry,
                    functionsCode,
                    warehouseDdl,
                    futureTolerance);
        }
    }
}
