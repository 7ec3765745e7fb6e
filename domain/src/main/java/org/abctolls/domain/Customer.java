package org.abctolls.domain;

import static org.abctolls.domain.TollEventRules.require;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A customer account and its monthly spending threshold. A customer with no threshold is
 * billed but never alerted (contract section 2).
 */
public record Customer(String customerId, OptionalLong monthlyThresholdCents) {

    public Customer {
        require("customerId", TollEventRules.customerIdViolation(customerId));
        Objects.requireNonNull(monthlyThresholdCents, "monthlyThresholdCents (empty when not set)");
        if (monthlyThresholdCents.isPresent() && monthlyThresholdCents.getAsLong() < 0) {
            throw new IllegalArgumentException(
                    "monthlyThresholdCents must not be negative, was " + monthlyThresholdCents.getAsLong());
        }
    }
}
