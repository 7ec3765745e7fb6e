package org.abctolls.domain;

import static org.abctolls.domain.TollEventRules.require;

import java.time.Instant;
import java.util.Objects;

/**
 * A customer's tolls in one 10-minute window (contract section 4). {@code revision} grows
 * each time the window is re-emitted because late passages arrived; a consumer applies the
 * newest revision of a (customerId, windowStart) and ignores older or equal ones.
 */
public record CustomerWindowTotal(
        String customerId, Instant windowStart, Instant windowEnd, long totalCents, long passages, int revision) {

    public CustomerWindowTotal {
        require("customerId", TollEventRules.customerIdViolation(customerId));
        Objects.requireNonNull(windowStart, "windowStart is required");
        Objects.requireNonNull(windowEnd, "windowEnd is required");
        if (!windowEnd.isAfter(windowStart)) {
            throw new IllegalArgumentException(
                    "windowEnd must be after windowStart, was " + windowStart + " to " + windowEnd);
        }
        requireNotNegative("totalCents", totalCents);
        requireNotNegative("passages", passages);
        requireNotNegative("revision", revision);
    }

    static void requireNotNegative(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative, was " + value);
        }
    }
}
