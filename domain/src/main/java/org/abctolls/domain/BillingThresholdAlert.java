package org.abctolls.domain;

import static org.abctolls.domain.CustomerWindowTotal.requireNotNegative;
import static org.abctolls.domain.TollEventRules.require;

import java.time.Instant;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.Objects;

/**
 * Sent to a customer when the month-to-date total goes from below the threshold to at or
 * above it: once per customer, month and threshold value (contract section 4).
 */
public record BillingThresholdAlert(
        String customerId, YearMonth month, long thresholdCents, long monthToDateCents, Instant crossedInWindowEnd) {

    public static final String TYPE = "BILLING_THRESHOLD";

    /** The order alerts are listed in, the oracle's and a run's alike, so that their files compare line by line. */
    public static final Comparator<BillingThresholdAlert> LISTING_ORDER = Comparator.comparing(
                    BillingThresholdAlert::customerId)
            .thenComparing(BillingThresholdAlert::month)
            .thenComparingLong(BillingThresholdAlert::thresholdCents);

    public BillingThresholdAlert {
        require("customerId", TollEventRules.customerIdViolation(customerId));
        Objects.requireNonNull(month, "month is required");
        requireNotNegative("thresholdCents", thresholdCents);
        if (monthToDateCents < thresholdCents) {
            throw new IllegalArgumentException(
                    "monthToDateCents " + monthToDateCents + " has not reached thresholdCents " + thresholdCents);
        }
        Objects.requireNonNull(crossedInWindowEnd, "crossedInWindowEnd is required");
    }
}
