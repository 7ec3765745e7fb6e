package org.abctolls.infra;

import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.s3.IBucket;

/**
 * The inputs of {@link StreamToManagedFlink}.
 *
 * @param jar the path of the job's jar
 * @param propertyGroupId the runtime property group the job reads its settings from
 * @param jobSettings settings written into the property group beside the resources' names
 *     (the job's own keys, such as {@code deduplication.ttl}); the job's defaults hold for the rest
 */
public record StreamToManagedFlinkProps(
        String jar,
        String propertyGroupId,
        IStream input,
        IStream customerWindowTotals,
        IStream lowTrafficAlerts,
        IStream deadLetters,
        IBucket referenceData,
        int parallelism,
        Map<String, String> jobSettings) {
    public StreamToManagedFlinkProps {
        jobSettings = Map.copyOf(jobSettings);
        Objects.requireNonNull(jar, "jar");
        Objects.requireNonNull(propertyGroupId, "propertyGroupId");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(customerWindowTotals, "customerWindowTotals");
        Objects.requireNonNull(lowTrafficAlerts, "lowTrafficAlerts");
        Objects.requireNonNull(deadLetters, "deadLetters");
        Objects.requireNonNull(referenceData, "referenceData");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link StreamToManagedFlinkProps}. */
    public static final class Builder {
        private String jar;
        private String propertyGroupId;
        private IStream input;
        private IStream customerWindowTotals;
        private IStream lowTrafficAlerts;
        private IStream deadLetters;
        private IBucket referenceData;
        private int parallelism = 1;
        private Map<String, String> jobSettings = Map.of();

        public Builder jar(String value) {
            jar = value;
            return this;
        }

        public Builder propertyGroupId(String value) {
            propertyGroupId = value;
            return this;
        }

        public Builder input(IStream value) {
            input = value;
            return this;
        }

        public Builder customerWindowTotals(IStream value) {
            customerWindowTotals = value;
            return this;
        }

        public Builder lowTrafficAlerts(IStream value) {
            lowTrafficAlerts = value;
            return this;
        }

        public Builder deadLetters(IStream value) {
            deadLetters = value;
            return this;
        }

        public Builder referenceData(IBucket value) {
            referenceData = value;
            return this;
        }

        public Builder parallelism(int value) {
            parallelism = value;
            return this;
        }

        public Builder jobSettings(Map<String, String> value) {
            jobSettings = value;
            return this;
        }

        public StreamToManagedFlinkProps build() {
            return new StreamToManagedFlinkProps(
                    jar,
                    propertyGroupId,
                    input,
                    customerWindowTotals,
                    lowTrafficAlerts,
                    deadLetters,
                    referenceData,
                    parallelism,
                    jobSettings);
        }
    }
}
