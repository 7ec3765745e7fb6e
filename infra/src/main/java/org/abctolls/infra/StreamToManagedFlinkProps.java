package org.abctolls.infra;

import java.util.Objects;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.s3.IBucket;

/** The inputs of {@link StreamToManagedFlink}. */
public record StreamToManagedFlinkProps(
        IStream input,
        IStream customerWindowTotals,
        IStream lowTrafficAlerts,
        IStream deadLetters,
        IBucket referenceData,
        int parallelism) {
    public StreamToManagedFlinkProps {
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
        private IStream input;
        private IStream customerWindowTotals;
        private IStream lowTrafficAlerts;
        private IStream deadLetters;
        private IBucket referenceData;
        private int parallelism = 1;

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

        public StreamToManagedFlinkProps build() {
            return new StreamToManagedFlinkProps(
                    input, customerWindowTotals, lowTrafficAlerts, deadLetters, referenceData, parallelism);
        }
    }
}
