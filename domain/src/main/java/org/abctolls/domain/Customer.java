package org.abctolls.domain;

import static org.abctolls.domain.TollEventRules.require;

import java.math.BigDecimal;
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

    /**
     * A threshold as written, in DynamoDB by the mobile app or in {@code customers.csv}: any
     * number that is a whole number of cents from 0 up ({@code 5000}, {@code +5000},
     * {@code 5000.0}, {@code 5e3}), as DynamoDB holds a number.
     *
     * @throws IllegalArgumentException saying why it is no threshold: negative, or not a whole
     *     number of cents ({@code 12.5}, {@code 1e30}, {@code ten})
     */
    public static long thresholdCents(String written) {
        long cents;
        try {
            cents = new BigDecimal(written).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("is not a whole number of cents");
        }
        if (cents < 0) {
            throw new IllegalArgumentException("is negative");
        }
        return cents;
    }
}
